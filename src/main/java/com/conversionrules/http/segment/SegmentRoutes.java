package com.conversionrules.http.segment;

import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.engine.Intake;
import com.conversionrules.http.Json;
import com.conversionrules.http.Replies;
import com.conversionrules.http.Views;
import com.conversionrules.http.auth.RequireKey;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Rejection;
import com.conversionrules.tracking.EventNameTracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Segment's tracking API, so Segment libraries and destinations can send straight to this service:
 * {@code /v1/track}, {@code /v1/page}, {@code /v1/identify}, {@code /v1/batch} and {@code /v1/import}
 * (the batch route the Segment Java client posts to, also with a trailing slash). Answers Segment's
 * {@code {"success": true}} once the events are durable and evaluated, with our counts beside it.
 */
public final class SegmentRoutes {
    private static final Set<String> PATHS = Set.of("/v1/track", "/v1/page", "/v1/identify", "/v1/batch",
            "/v1/import", "/v1/import/");
    private final SegmentParser parser;
    private final Intake intake;
    private final RequireKey writeKey;
    private final Metrics metrics;
    private final EventNameTracker names;

    public SegmentRoutes(Intake intake, RequireKey writeKey, Clock clock, int maxMessages, Metrics metrics,
                         EventNameTracker names) {
        this.parser = new SegmentParser(clock, maxMessages);
        this.intake = intake;
        this.writeKey = writeKey;
        this.metrics = metrics;
        this.names = names;
    }

    public void mount(Router router) {
        for (String type : new String[] {"track", "page", "identify"}) {
            router.post("/v1/" + type).handler(writeKey).handler(ctx -> single(ctx, type));
        }
        // A route for /v1/import also matches /v1/import/, where the Segment Java client posts.
        router.post("/v1/batch").handler(writeKey).handler(this::batch);
        router.post("/v1/import").handler(writeKey).handler(this::batch);
        // Without a path: a failure handler on each route would match it a second time and name it
        // twice in the request meters' route label.
        router.route().failureHandler(this::rejected);
    }

    /** Counts a refused Segment request, then lets the router's failure handler answer it. */
    private void rejected(RoutingContext ctx) {
        if (PATHS.contains(ctx.request().path())) {
            metrics.requestRejected();
        }
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
                ObjectNode queued = Json.MAPPER.createObjectNode()
                        .put("success", true)
                        .put("queued", done.queued())
                        .put("ignored", parsed.ignored());
                queued.set("unrecognized", Views.unrecognized(names.record(parsed.events())));
                return queued;
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
            body.set("unrecognized", Views.unrecognized(names.record(parsed.events())));
            return body;
        });
    }
}
