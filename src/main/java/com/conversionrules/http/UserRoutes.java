package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.conversionrules.store.EventRecords;
import com.conversionrules.store.Store;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The performed-event query a flow step asks: has this user done X since T? */
final class UserRoutes {
    private final Store store;

    UserRoutes(Store store) {
        this.store = store;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/users/:userId/performed").handler(access).handler(this::performed);
    }

    private void performed(RoutingContext ctx) {
        String userId = Fields.checkId("userId", ctx.pathParam("userId"));
        String event = ctx.request().getParam("event");
        if (event == null || event.isBlank()) {
            throw Rejection.invalid(
                    "the query parameter event is required, e.g. ?event=Placed%20Order");
        }
        if (event.length() > Fields.MAX_NAME_LENGTH) {
            throw Rejection.invalid("the query parameter event is longer than " + Fields.MAX_NAME_LENGTH + " characters");
        }
        String sinceText = ctx.request().getParam("since");
        long since = sinceText == null || sinceText.isEmpty() ? 0 : Fields.parseTime("since", sinceText);
        Replies.json(ctx, store.read(connection -> EventRecords.performed(connection, userId, event, since)), 200,
                performed -> Json.MAPPER.createObjectNode()
                        .put("userId", userId)
                        .put("event", event)
                        .put("since", sinceText == null || sinceText.isEmpty() ? null : Views.time(since))
                        .put("performed", performed.count() > 0)
                        .put("count", performed.count())
                        .put("last", Views.time(performed.last())));
    }
}
