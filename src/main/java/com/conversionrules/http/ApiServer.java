package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.config.HttpLimits;
import com.conversionrules.config.StallLimits;
import com.conversionrules.engine.Intake;
import com.conversionrules.engine.ShardHealth;
import com.conversionrules.http.auth.KnownKeyFirst;
import com.conversionrules.http.auth.RequireKey;
import com.conversionrules.http.limits.BodyBudget;
import com.conversionrules.http.limits.ConnectionLimit;
import com.conversionrules.http.limits.ReadTimeout;
import com.conversionrules.http.segment.SegmentRoutes;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Rejection;
import com.conversionrules.reload.LiveRules;
import com.conversionrules.replay.ProposedRules;
import com.conversionrules.replay.Simulator;
import com.conversionrules.security.ApiKeys;
import com.conversionrules.store.ReadModel;
import com.conversionrules.store.StoreHealth;
import com.conversionrules.tracking.EventNameTracker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The HTTP front end: one router, every route, and one failure handler that answers every error. */
public final class ApiServer {
    /** Items per request, on top of the body size limit. */
    static final int MAX_ITEMS_PER_REQUEST = 10_000;
    /** How long a stop waits for the requests in flight; shorter than the 30 s an orchestrator usually gives. */
    private static final long SHUTDOWN_GRACE_SECONDS = 20;

    /** The Segment routes, where a client may send its key in the body instead of a header. */
    private static final Set<String> KEY_IN_BODY = Set.of("/v1/track", "/v1/page", "/v1/identify", "/v1/batch",
            "/v1/import", "/v1/import/");

    private final Vertx vertx;
    private final Router router;
    /** Most event requests, without the router; null when every request goes through it. */
    private final DirectEventRoute direct;
    private final HttpLimits limits;
    private final ConnectionLimit connections;
    private final BodyBudget bodies;
    private HttpServer server;

    public ApiServer(Vertx vertx, HttpLimits limits, StallLimits stalls, Intake intake, ShardHealth shards,
                     CampaignService campaigns, LiveRules liveRules, ReadModel store, StoreHealth storeHealth,
                     Metrics metrics, BooleanSupplier ready, Clock clock, ApiKeys keys, boolean accessLog,
                     Simulator simulator, ProposedRules proposals, ClusterRouting cluster) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        this.limits = limits;
        ReadTimeout readTimeout = new ReadTimeout(vertx, limits.readTimeout(), HttpLimits.HTTP_READ_TIMEOUT);
        this.connections = new ConnectionLimit(limits.maxConnections(), readTimeout);
        this.bodies = new BodyBudget(limits.bodyMemory(), limits.maxBodyBytes());
        RequireKey admin = RequireKey.admin(keys);
        RequireKey write = RequireKey.write(keys);
        RequireKey segment = RequireKey.segment(keys);
        if (accessLog) {
            router.route().handler(new AccessLog());
        }
        router.route().handler(readTimeout);
        // Until the sessions hold every active enrollment, an event could miss the users not loaded
        // yet and an exit could be undone by the load: the API waits, health and docs answer. A route
        // without a path, so the request metric's route label names only the route that answers.
        router.route().handler(ctx -> {
            if (ready.getAsBoolean() || !ctx.request().path().startsWith("/v1/")) {
                ctx.next();
            } else {
                ctx.response().putHeader("connection", "close");
                Problems.reply(ctx, 503, "the service is starting: its sessions are being rebuilt from the store; "
                        + "retry in a moment (GET /health/ready answers 200 once it is ready)");
            }
        });
        // No body is read before the key is known to be one of ours, and none beyond the memory budget.
        router.route().handler(new KnownKeyFirst(path -> KEY_IN_BODY.contains(path) ? segment
                : path.equals("/v1/events") ? write : admin));
        // Streams its body and reserves memory per line, so it comes before the handlers that read bodies whole.
        new BulkEnrollmentRoutes(campaigns, intake, clock, bodies).mount(router, admin);
        router.route().handler(bodies);
        router.route().handler(BodyHandler.create(false).setBodyLimit(limits.maxBodyBytes()));
        // Ingestion first: a request tries the routes in order, and most requests are events.
        EventNameTracker names = new EventNameTracker(() -> campaigns.rules().eventNames(), clock, metrics);
        EventRoutes events = new EventRoutes(new EventParser(clock, MAX_ITEMS_PER_REQUEST), intake, metrics, names);
        events.mount(router, write);
        // The access log is one of the router's handlers: with it on, every request goes through the router.
        this.direct = accessLog ? null
                : new DirectEventRoute(events, write, bodies, readTimeout, ready, limits.maxBodyBytes());
        new SegmentRoutes(intake, segment, clock, MAX_ITEMS_PER_REQUEST, metrics, names).mount(router);
        new HealthRoutes(ready, storeHealth, shards, stalls).mount(router);
        OpenApiRoutes.fromClasspath().mount(router);
        new CampaignRoutes(campaigns, store).mount(router, admin);
        new CampaignActivityRoutes(campaigns, store, clock).mount(router, admin);
        if (cluster != ClusterRouting.NONE) {
            // A replay reads the event history, which in a cluster is spread over the partitions' stores.
            router.post("/v1/campaigns/:id/simulate").handler(admin).handler(ctx -> {
                throw Rejection.unprocessable("simulations replay this instance's event history, which a cluster "
                        + "keeps in each partition's state instead: run them on an embedded instance over a copy of "
                        + "the events");
            });
        }
        new SimulateRoutes(campaigns, simulator, proposals).mount(router, admin);
        new EnrollmentRoutes(campaigns, intake, store, clock, MAX_ITEMS_PER_REQUEST, cluster).mount(router, admin);
        new EventNameRoutes(names).mount(router, admin);
        new ExitRoutes(cluster.exitFeed(new SeqExitFeed(store))).mount(router, admin);
        new FailedEventRoutes(store).mount(router, admin);
        new WebhookRoutes(store).mount(router, admin);
        new CatalogueRoutes(campaigns).mount(router, admin);
        new RulesRoutes(campaigns, liveRules).mount(router, admin);
        new UserRoutes(store, cluster).mount(router, admin);
        cluster.mount(router, admin);
        new MetricsRoutes(metrics).mount(router, admin);
        new ConsoleRoutes(ConsoleFiles.fromClasspath()).mount(router);
        router.route().failureHandler(Problems::handleFailure);
        router.errorHandler(404, Problems::notFound);
        AllowedMethods allowed = AllowedMethods.of(router);
        router.errorHandler(405, ctx -> Problems.methodNotAllowed(ctx, allowed.on(ctx.request().path())));
    }

    /**
     * HTTP/1.1 only: cleartext HTTP/2 upgrades would bypass the request-line and header limits. (A
     * connection accepted while the server binds has no socket metric; {@code HttpRequestMeters} keeps
     * that from hanging its first response.)
     */
    public Future<HttpServer> listen(String host, int port) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false)
                // Every request is handled and answered on its connection's event loop (work done
                // elsewhere comes back through its context: Replies), so writes skip Vert.x's
                // cross-thread outbound queue. A write from another thread throws instead of being
                // moved to the loop, so new routes answer through Replies too.
                .setStrictThreadMode(true)
                // The API has no WebSocket: without compression to offer, no WebSocket handler sits in
                // every connection's pipeline looking at every request.
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        return vertx.createHttpServer(options)
                .connectionHandler(connections)
                .invalidRequestHandler(Problems::invalidRequest)
                .requestHandler(request -> {
                    if (direct != null && direct.handled(request)) {
                        return;
                    }
                    if (PercentEncoding.isWellFormed(request.uri())) {
                        router.handle(request);
                    } else {
                        Problems.badEncoding(request);
                    }
                })
                .listen()
                .onSuccess(listening -> server = listening);
    }

    /**
     * Every API route the router serves, as {@code METHOD /path/{param}}: what the OpenAPI document must
     * describe. The console's static files take any method and are left out.
     */
    public List<String> routes() {
        List<String> routes = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null) {
                continue;
            }
            String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
            route.methods().forEach(method -> routes.add(method.name() + " " + path));
        }
        return routes;
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return server.actualPort();
    }

    /**
     * Stops listening at once, then lets the requests in flight finish and be answered (their work
     * is queued on the shards, which are still running) for up to {@link #SHUTDOWN_GRACE_SECONDS}.
     */
    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }
}
