package com.conversionrules.http;

import com.conversionrules.engine.Engine;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Event ingestion: parse and check on the event loop, evaluate on the shards, answer once durable. */
final class EventRoutes {
    private final EventParser parser;
    private final Engine engine;

    EventRoutes(EventParser parser, Engine engine) {
        this.parser = parser;
        this.engine = engine;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.post("/v1/events").handler(access).handler(this::ingest);
    }

    private void ingest(RoutingContext ctx) {
        Replies.json(ctx, engine.evaluate(parser.parse(Json.objectBody(ctx))), 200, outcome ->
                Json.MAPPER.createObjectNode()
                        .put("accepted", outcome.accepted())
                        .put("duplicates", outcome.duplicates()));
    }
}
