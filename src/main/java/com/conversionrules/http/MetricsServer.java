package com.conversionrules.http;

import com.conversionrules.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The management port ({@code METRICS_PORT}): {@code GET /metrics} without a key and nothing else,
 * the way Prometheus scrapes exporters. What it serves is only meters, so the network that reaches it
 * decides who reads them, and no scrape configuration has to hold a key that could change campaigns.
 */
public final class MetricsServer {
    private final Vertx vertx;
    private final Router router;
    private HttpServer server;

    public MetricsServer(Vertx vertx, Metrics metrics) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        new MetricsRoutes(metrics).mount(router, ctx -> ctx.next());
        router.route().failureHandler(Problems::handleFailure);
        router.errorHandler(404, ctx -> Problems.reply(ctx, 404, "this port serves only GET /metrics; the API is on "
                + "the main port"));
        AllowedMethods allowed = AllowedMethods.of(router);
        router.errorHandler(405, ctx -> Problems.methodNotAllowed(ctx, allowed.on(ctx.request().path())));
    }

    public Future<HttpServer> listen(String host, int port) {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                        .setHttp2ClearTextEnabled(false))
                .invalidRequestHandler(Problems::invalidRequest)
                .requestHandler(router)
                .listen()
                .onSuccess(listening -> server = listening);
    }

    public int port() {
        return server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
