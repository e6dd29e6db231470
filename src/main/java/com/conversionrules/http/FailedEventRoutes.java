package com.conversionrules.http;

import com.conversionrules.model.FailedEvent;
import com.conversionrules.store.ReadModel;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The operator's feed of events a rule failed on (dead letters), oldest first, read with a cursor. */
final class FailedEventRoutes {
    private final ReadModel store;

    FailedEventRoutes(ReadModel store) {
        this.store = store;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/failed-events").handler(access).handler(this::feed);
    }

    private void feed(RoutingContext ctx) {
        long after = Fields.queryNumber(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) Fields.queryNumber(ctx, "limit", ExitRoutes.DEFAULT_LIMIT, 1, ExitRoutes.MAX_LIMIT);
        Replies.json(ctx, store.failedEventsAfter(after, limit), 200,
                page -> body(page, after));
    }

    private static ObjectNode body(List<FailedEvent> page, long after) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode events = body.putArray("failedEvents");
        page.forEach(failed -> events.add(Views.failedEvent(failed)));
        body.put("next", Long.toString(page.isEmpty() ? after : page.get(page.size() - 1).seq()));
        return body;
    }
}
