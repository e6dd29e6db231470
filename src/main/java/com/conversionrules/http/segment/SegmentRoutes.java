package com.conversionrules.http.segment;

import com.conversionrules.engine.Intake;
import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.http.Json;
import com.conversionrules.http.Replies;
import com.conversionrules.http.auth.RequireKey;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Segment's tracking API, so Segment libraries and destinations can send straight to this service:
 * {@code /v1/track}, {@code /v1/page}, {@code /v1/identify}, {@code /v1/batch} and {@code /v1/import}
 * (the batch route the Segment Java client posts to, also with a trailing slash). Answers Segment's
 * {@code {"success": true}} once the events are durable and evaluated, with our counts beside it (in a
 * cluster, once the log holds them: 202 with the count queued).
 */
public final class SegmentRoutes {
    private final SegmentParser parser;
    private final Intake intake;
    private final RequireKey writeKey;
    private final Metrics metrics;

    public SegmentRoutes(Intake intake, RequireKey writeKey, Clock clock, int maxMessages, Metrics metrics) {
        this.parser = new SegmentParser(clock, maxMessages);
        this.intake = intake;
        this.writeKey = writeKey;
        this.metrics = metrics;
    }

    public void mount(Router router) {
        for (String type : new String[] {"track", "page", "identify"}) {
            router.post("/v1/" + type).handler(writeKey).handler(ctx -> single(ctx, type)).failureHandler(this::rejected);
        }
        // A route for /v1/import also matches /v1/import/, where the Segment Java client posts.
        router.post("/v1/batch").handler(writeKey).handler(this::batch).failureHandler(this::rejected);
        router.post("/v1/import").handler(writeKey).handler(this::batch).failureHandler(this::rejected);
    }

    /** Counts a refused request, then lets the router's failure handler answer it. */
    private void rejected(RoutingContext ctx) {
        metrics.requestRejected();
        ctx.next();
    }

    private void single(RoutingContext ctx, String type) {
        JsonNode body = authenticatedBody(ctx, SegmentParser.MAX_MESSAGE_BYTES, "one call");
        evaluate(ctx, parser.single(type, body));
    }

    private void batch(RoutingContext ctx) {
        JsonNode body = authenticatedBody(ctx, SegmentParser.MAX_BATCH_BYTES, "one batch");
        evaluate(ctx, parser.batch(body));
    }

    /** Checks the size, then the key (from the header, else {@code writeKey} in the body), then reads the body. */
    private JsonNode authenticatedBody(RoutingContext ctx, int maxBytes, String what) {
        int size = ctx.body().length();
        if (size > maxBytes) {
            throw Rejection.tooLarge("the body is " + size + " bytes; Segment's limit for " + what + " is " + maxBytes
                    + " bytes");
        }
        if (writeKey.checkedHeader(ctx)) {
            return Json.objectBody(ctx);
        }
        JsonNode body;
        try {
            body = Json.objectBody(ctx);
        } catch (Rejection unreadable) {
            writeKey.check(ctx, null);
            throw unreadable;
        }
        JsonNode key = body.get("writeKey");
        writeKey.check(ctx, key != null && key.isTextual() ? key.asText() : null);
        return body;
    }

    private void evaluate(RoutingContext ctx, SegmentParser.Parsed parsed) {
        metrics.eventsReceived(parsed.events().size());
        CompletableFuture<EventsOutcome> outcome = parsed.events().isEmpty()
                ? CompletableFuture.completedFuture(EventsOutcome.NONE)
                : intake.evaluate(parsed.events());
        Replies.json(ctx, outcome, intake.queues() ? 202 : 200, done -> {
            if (intake.queues()) {
                // Taken by the cluster's log; each partition's owner evaluates its messages moments later.
                return Json.MAPPER.createObjectNode()
                        .put("success", true)
                        .put("queued", done.queued())
                        .put("ignored", parsed.ignored());
            }
            // Segment's success means the call was taken; the messages a rule failed on are named
            // in failed (by messageId), kept for the operator, and evaluated again if sent again.
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("success", true)
                    .put("accepted", done.accepted())
                    .put("duplicates", done.duplicates())
                    .put("ignored", parsed.ignored());
            ArrayNode failed = body.putArray("failed");
            done.failed().forEach(event -> failed.addObject()
                    .put("messageId", event.event().getId())
                    .put("userId", event.event().getUserId())
                    .put("rule", event.rule())
                    .put("reason", event.reason()));
            return body;
        });
    }
}
