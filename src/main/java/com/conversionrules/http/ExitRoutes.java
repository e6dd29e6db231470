package com.conversionrules.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The pull feed of exits, in the order they happened, for senders that poll. */
final class ExitRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final ExitFeed feed;

    ExitRoutes(ExitFeed feed) {
        this.feed = feed;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/exits").handler(access).handler(this::feed);
    }

    private void feed(RoutingContext ctx) {
        int limit = (int) Fields.queryNumber(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Replies.json(ctx, feed.page(ctx.request().getParam("after"), limit), 200, ExitRoutes::body);
    }

    private static ObjectNode body(ExitFeed.Page page) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode exits = body.putArray("exits");
        page.exits().forEach(stored -> exits.add(Views.exit(stored)));
        body.put("next", page.next());
        return body;
    }
}
