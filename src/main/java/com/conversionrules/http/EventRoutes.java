package com.conversionrules.http;

import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.engine.Intake;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.UserEvent;
import com.conversionrules.tracking.EventNameTracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Event ingestion: parse and check on the event loop, evaluate on the shards, answer once durable.
 * Most requests skip the router ({@link DirectEventRoute}); both ways do the same work here.
 */
final class EventRoutes {
    static final String PATH = "/v1/events";

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
        router.post(PATH).handler(access).handler(this::ingest);
        // Without a path: a failure handler on the route itself would match it a second time and
        // name it twice in the request meters' route label.
        router.route().failureHandler(this::rejected);
    }

    private void ingest(RoutingContext ctx) {
        List<UserEvent> events = parse(Json.objectBody(ctx));
        Replies.json(ctx, evaluate(events), status(), outcome -> answer(outcome, events));
    }

    /** The events of a body, all checked: throws the 400 that says what to fix. */
    List<UserEvent> parse(JsonNode body) {
        return parser.parse(body);
    }

    /** Counts the events in and hands them to the intake; completes once they are evaluated and durable. */
    CompletableFuture<EventsOutcome> evaluate(List<UserEvent> events) {
        metrics.eventsReceived(events.size());
        return intake.evaluate(events);
    }

    /** 200, or 202 where the intake only queues. */
    int status() {
        return intake.queues() ? 202 : 200;
    }

    /** The answer's body; on the event loop, as it notes the event names seen. */
    ObjectNode answer(EventsOutcome outcome, List<UserEvent> events) {
        ObjectNode body = Views.eventsOutcome(outcome);
        body.set("unrecognized", Views.unrecognized(names.record(events)));
        return body;
    }

    /** Counts a refused ingestion request. */
    void rejected() {
        metrics.requestRejected();
    }

    /** Counts a refused ingestion request, then lets the router's failure handler answer it. */
    private void rejected(RoutingContext ctx) {
        if (ctx.request().path().equals(PATH)) {
            rejected();
        }
        ctx.next();
    }
}
