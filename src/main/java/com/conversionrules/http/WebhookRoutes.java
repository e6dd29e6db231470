package com.conversionrules.http;

import com.conversionrules.store.Backlog;
import com.conversionrules.store.EndpointState;
import com.conversionrules.store.ReadModel;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * The sender endpoints the store knows: configured now or before, whether a 410 disabled them, and
 * how many deliveries to each wait or were given up.
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
        Replies.json(ctx, store.endpoints().thenCombine(store.backlog(), Listing::new), 200, WebhookRoutes::body);
    }

    private record Listing(List<EndpointState> endpoints, Map<String, Backlog> backlog) {
    }

    private static ObjectNode body(Listing listing) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("endpoints");
        for (EndpointState endpoint : listing.endpoints()) {
            Backlog backlog = listing.backlog().getOrDefault(endpoint.name(),
                    new Backlog(0, 0));
            list.addObject()
                    .put("name", endpoint.name())
                    .put("url", endpoint.url())
                    .put("configured", endpoint.configured())
                    .put("disabled", endpoint.disabledAt() != null)
                    .put("disabledAt", Views.time(endpoint.disabledAt()))
                    .put("disabledReason", endpoint.disabledReason())
                    .put("waiting", backlog.waiting())
                    .put("failed", backlog.failed());
        }
        return body;
    }
}
