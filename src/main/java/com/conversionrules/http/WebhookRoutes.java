package com.conversionrules.http;

import com.conversionrules.store.EndpointRecords;
import com.conversionrules.store.Store;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The sender endpoints the store knows: configured now or before, and whether a 410 disabled them. */
final class WebhookRoutes {
    private final Store store;

    WebhookRoutes(Store store) {
        this.store = store;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/webhook-endpoints").handler(access).handler(this::list);
    }

    private void list(RoutingContext ctx) {
        Replies.json(ctx, store.read(EndpointRecords::all), 200, WebhookRoutes::body);
    }

    private static ObjectNode body(List<EndpointRecords.Stored> endpoints) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("endpoints");
        for (EndpointRecords.Stored endpoint : endpoints) {
            list.addObject()
                    .put("name", endpoint.name())
                    .put("url", endpoint.url())
                    .put("configured", endpoint.configured())
                    .put("disabled", endpoint.disabledAt() != null)
                    .put("disabledAt", Views.time(endpoint.disabledAt()))
                    .put("disabledReason", endpoint.disabledReason());
        }
        return body;
    }
}
