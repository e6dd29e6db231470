package com.conversionrules.http;

import com.conversionrules.engine.Intake;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.UserEvent;
import com.conversionrules.tracking.EventNameTracker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Event ingestion: parse and check on the event loop, evaluate on the shards, answer once durable. */
final class EventRoutes {
    private final EventParser parser;
    private final Intake intake;
    private final Metrics metrics;
    private final EventNameTracker names;

    EventRoutes(EventParser parser, Intake intake, Metrics metrics, EventNameTracker names) {
        this.parser = parser;
        this.intake = intake;
        this.metrics = metrics;
        this.names = names;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.post("/v1/events").handler(access).handler(this::ingest);
        // Without a path: a failure handler on the route itself would match it a second time and
        // name it twice in the request meters' route label.
        router.route().failureHandler(this::rejected);
    }

    private void ingest(RoutingContext ctx) {
        List<UserEvent> events = parser.parse(Json.objectBody(ctx));
        metrics.eventsReceived(events.size());
        Replies.json(ctx, intake.evaluate(events), intake.queues() ? 202 : 200, outcome -> {
            ObjectNode body = Views.eventsOutcome(outcome);
            body.set("unrecognized", Views.unrecognized(names.record(events)));
            return body;
        });
    }

    /** Counts a refused ingestion request, then lets the router's failure handler answer it. */
    private void rejected(RoutingContext ctx) {
        if (ctx.request().path().equals("/v1/events")) {
            metrics.requestRejected();
        }
        ctx.next();
    }
}
