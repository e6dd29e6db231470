package com.conversionrules.http;

import com.conversionrules.store.ReadModel;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The sender endpoints the store knows: configured now or before, whether a 410 disabled them, and
 * how many deliveries to each wait or were given up (in a cluster, added up over the instances).
 */
final class WebhookRoutes {
    private final ReadModel store;

    WebhookRoutes(ReadModel store) {
        this.store = store;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/webhook-endpoints").handler(access).handler(this::list);
    }

    private void list(RoutingContext ctx) {
        Replies.json(ctx, store.endpoints(), 200, Views::endpoints);
    }
}
