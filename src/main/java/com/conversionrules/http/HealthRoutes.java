package com.conversionrules.http;

import com.conversionrules.store.Store;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** Liveness (the process answers) and readiness (rules loaded, sessions rebuilt, store writable). */
final class HealthRoutes {
    private final BooleanSupplier sessionsReady;
    private final Store store;

    HealthRoutes(BooleanSupplier sessionsReady, Store store) {
        this.sessionsReady = sessionsReady;
        this.store = store;
    }

    void mount(Router router) {
        router.get("/health/live").handler(ctx -> Json.reply(ctx, 200,
                Json.MAPPER.createObjectNode().put("status", "UP")));
        router.get("/health/ready").handler(this::ready);
    }

    private void ready(RoutingContext ctx) {
        if (!sessionsReady.getAsBoolean()) {
            Problems.reply(ctx, 503, "starting: the sessions are being rebuilt from the store");
        } else if (!store.healthy()) {
            Problems.reply(ctx, 503, "the store failed to save engine state; restart the service");
        } else {
            Json.reply(ctx, 200, Json.MAPPER.createObjectNode().put("status", "UP"));
        }
    }
}
