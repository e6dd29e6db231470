package com.conversionrules.http;

import com.conversionrules.tracking.EventNameTracker;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/event-names}: the tracking plan as the service sees it, names sent and names the rules read. */
final class EventNameRoutes {
    private final EventNameTracker names;

    EventNameRoutes(EventNameTracker names) {
        this.names = names;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/event-names").handler(access).handler(this::report);
    }

    private void report(RoutingContext ctx) {
        EventNameTracker.Report report = names.report();
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("since", report.since().toString())
                .put("limit", report.limit())
                .put("untrackedEvents", report.untrackedEvents());
        ArrayNode list = body.putArray("names");
        for (EventNameTracker.NameStats name : report.names()) {
            ObjectNode node = list.addObject()
                    .put("name", name.name())
                    .put("events", name.events())
                    .put("lastSeen", name.lastSeen() == null ? null : name.lastSeen().toString());
            ArrayNode readBy = node.putArray("readBy");
            name.readBy().forEach(reader -> readBy.add(Views.reader(reader)));
            node.put("didYouMean", name.didYouMean());
        }
        Json.reply(ctx, 200, body);
    }
}
