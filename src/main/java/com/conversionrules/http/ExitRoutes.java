package com.conversionrules.http;

import com.conversionrules.store.ReadModel;
import com.conversionrules.store.StoredExit;
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

    private final ReadModel store;

    ExitRoutes(ReadModel store) {
        this.store = store;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/exits").handler(access).handler(this::feed);
    }

    private void feed(RoutingContext ctx) {
        long after = Fields.queryNumber(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) Fields.queryNumber(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Replies.json(ctx, store.exitsAfter(after, limit), 200,
                page -> body(page, after));
    }

    private static ObjectNode body(List<StoredExit> page, long after) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode exits = body.putArray("exits");
        page.forEach(stored -> exits.add(Views.exit(stored)));
        long next = page.isEmpty() ? after : page.get(page.size() - 1).exit().seq();
        body.put("next", Long.toString(next));
        return body;
    }
}
