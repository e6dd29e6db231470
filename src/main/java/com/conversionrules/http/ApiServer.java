package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.engine.Engine;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.reload.LiveRules;
import com.conversionrules.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.function.BooleanSupplier;

/** The HTTP front end: one router, every route, and one failure handler that answers every error. */
public final class ApiServer {
    /** Items per request, on top of the body size limit. */
    static final int MAX_ITEMS_PER_REQUEST = 10_000;

    private final Vertx vertx;
    private final Router router;
    private HttpServer server;

    public ApiServer(Vertx vertx, long maxBodyBytes, Engine engine, CampaignService campaigns, LiveRules liveRules,
                     Store store, Metrics metrics, BooleanSupplier ready, Clock clock) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        new BulkEnrollmentRoutes(campaigns, engine, clock).mount(router);
        router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
        new HealthRoutes(ready, store).mount(router);
        new CampaignRoutes(campaigns, store).mount(router);
        new EnrollmentRoutes(campaigns, engine, store, clock, MAX_ITEMS_PER_REQUEST).mount(router);
        new EventRoutes(new EventParser(clock, MAX_ITEMS_PER_REQUEST), engine, metrics).mount(router);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape()));
        new ExitRoutes(store).mount(router);
        new CatalogueRoutes(campaigns).mount(router);
        new RulesRoutes(campaigns, liveRules).mount(router);
        new UserRoutes(store).mount(router);
        router.route().failureHandler(Problems::handleFailure);
        router.errorHandler(404, Problems::notFound);
        router.errorHandler(405, Problems::methodNotAllowed);
    }

    public Future<HttpServer> listen(String host, int port) {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .onSuccess(listening -> server = listening);
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
