package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.conversionrules.store.ReadModel;
import com.conversionrules.store.UserEnrollment;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** One user: the performed-event query a flow step asks (has this user done X since T?), and their campaigns. */
final class UserRoutes {
    static final int DEFAULT_ENROLLMENTS = 100;
    static final int MAX_ENROLLMENTS = 1000;

    private final ReadModel store;
    private final ClusterRouting cluster;

    UserRoutes(ReadModel store, ClusterRouting cluster) {
        this.store = store;
        this.cluster = cluster;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/users/:userId/performed").handler(access).handler(cluster::toOwner).handler(this::performed);
        router.get("/v1/users/:userId/campaigns").handler(access).handler(cluster::toOwner).handler(this::campaigns);
    }

    /** Every campaign the user is or was in, newest enrollment first, with how and why each one ended. */
    private void campaigns(RoutingContext ctx) {
        String userId = Fields.checkId("userId", ctx.pathParam("userId"));
        int limit = (int) Fields.queryNumber(ctx, "limit", DEFAULT_ENROLLMENTS, 1, MAX_ENROLLMENTS);
        Replies.json(ctx, store.enrollmentsOf(userId, limit), 200,
                enrollments -> {
                    ObjectNode body = Json.MAPPER.createObjectNode().put("userId", userId);
                    ArrayNode list = body.putArray("enrollments");
                    for (UserEnrollment enrollment : enrollments) {
                        ObjectNode node = list.addObject()
                                .put("campaignId", enrollment.campaignId())
                                .put("status", enrollment.status())
                                .put("enrolledAt", Views.time(enrollment.enrolledAt()));
                        node.set("exit", enrollment.exit() == null ? null : Views.explainedExit(enrollment.exit()));
                    }
                    return body;
                });
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
        Replies.json(ctx, store.performed(userId, event, since), 200,
                performed -> Json.MAPPER.createObjectNode()
                        .put("userId", userId)
                        .put("event", event)
                        .put("since", sinceText == null || sinceText.isEmpty() ? null : Views.time(since))
                        .put("performed", performed.count() > 0)
                        .put("count", performed.count())
                        .put("last", Views.time(performed.last())));
    }
}
