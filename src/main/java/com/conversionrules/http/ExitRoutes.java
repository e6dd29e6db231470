package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.conversionrules.store.ExitRecords;
import com.conversionrules.store.Store;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** The pull feed of exits, in the order they happened, for senders that poll. */
final class ExitRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Store store;

    ExitRoutes(Store store) {
        this.store = store;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/exits").handler(access).handler(this::feed);
    }

    private void feed(RoutingContext ctx) {
        long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Replies.json(ctx, store.read(connection -> ExitRecords.page(connection, after, limit)), 200,
                page -> body(page, after));
    }

    private static ObjectNode body(List<ExitRecords.Stored> page, long after) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode exits = body.putArray("exits");
        page.forEach(stored -> exits.add(Views.exit(stored)));
        long next = page.isEmpty() ? after : page.get(page.size() - 1).exit().seq();
        body.put("next", Long.toString(next));
        return body;
    }

    static long number(RoutingContext ctx, String name, long fallback, long min, long max) {
        String raw = ctx.request().getParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Rejection.invalid(name + " must be a whole number between " + min + " and " + max + ", got '"
                + Fields.abbreviate(raw) + "'");
    }
}
