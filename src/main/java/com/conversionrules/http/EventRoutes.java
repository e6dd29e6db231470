package com.conversionrules.http;

import com.conversionrules.engine.Intake;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.UserEvent;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Event ingestion: parse and check on the event loop, evaluate on the shards (or queue on the cluster's log), answer once durable. */
final class EventRoutes {
    private final EventParser parser;
    private final Intake intake;
    private final Metrics metrics;

    EventRoutes(EventParser parser, Intake intake, Metrics metrics) {
        this.parser = parser;
        this.intake = intake;
        this.metrics = metrics;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.post("/v1/events").handler(access).handler(this::ingest).failureHandler(this::rejected);
    }

    private void ingest(RoutingContext ctx) {
        List<UserEvent> events = parser.parse(Json.objectBody(ctx));
        metrics.eventsReceived(events.size());
        Replies.json(ctx, intake.evaluate(events), intake.queues() ? 202 : 200, Views::eventsOutcome);
    }

    /** Counts a refused request, then lets the router's failure handler answer it. */
    private void rejected(RoutingContext ctx) {
        metrics.requestRejected();
        ctx.next();
    }
}
