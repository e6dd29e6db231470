package com.conversionrules.http;

import com.conversionrules.metrics.Metrics;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The service's meters in Prometheus text format: with an admin key on the API port, without one on METRICS_PORT. */
final class MetricsRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Metrics metrics;

    MetricsRoutes(Metrics metrics) {
        this.metrics = metrics;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/metrics").handler(access).handler(ctx -> ctx.response()
                .putHeader("content-type", PROMETHEUS_TEXT).end(metrics.scrape()));
    }
}
