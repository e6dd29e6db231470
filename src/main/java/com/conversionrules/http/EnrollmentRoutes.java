package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.engine.Intake;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Rejection;
import com.conversionrules.sender.ExitPayload;
import com.conversionrules.store.EnrollmentState;
import com.conversionrules.store.ReadModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Users entering and leaving a campaign, and where one user stands. */
final class EnrollmentRoutes {
    private static final Set<String> ENROLLMENT_FIELDS = Set.of("userId", "enrolledAt");
    /** The status of an active enrollment in the campaign's holdout group. */
    static final String HOLDOUT = "holdout";

    private final CampaignService campaigns;
    private final Intake intake;
    private final ReadModel store;
    private final Clock clock;
    private final int maxEnrollments;
    private final ClusterRouting cluster;

    EnrollmentRoutes(CampaignService campaigns, Intake intake, ReadModel store, Clock clock, int maxEnrollments,
                     ClusterRouting cluster) {
        this.campaigns = campaigns;
        this.intake = intake;
        this.store = store;
        this.clock = clock;
        this.maxEnrollments = maxEnrollments;
        this.cluster = cluster;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.post("/v1/campaigns/:id/enrollments").handler(access).handler(this::enroll);
        router.get("/v1/campaigns/:id/enrollments/:userId").handler(access).handler(cluster::toOwner).handler(this::get);
        router.delete("/v1/campaigns/:id/enrollments/:userId").handler(access).handler(this::remove);
    }

    private void enroll(RoutingContext ctx) {
        Campaign campaign = campaigns.require(Fields.campaignId(ctx));
        List<Enrollment> enrollments = parse(campaign.id(), Json.objectBody(ctx));
        if (campaign.status() != CampaignStatus.LIVE) {
            throw Rejection.conflict("campaign '" + campaign.id() + "' is " + campaign.status().wire()
                    + "; only live campaigns take enrollments (POST /v1/campaigns/" + campaign.id() + "/launch)");
        }
        Replies.json(ctx, intake.enroll(campaign.id(), enrollments), intake.queues() ? 202 : 200, Views::enrollOutcome);
    }

    private List<Enrollment> parse(String campaignId, JsonNode body) {
        long now = clock.millis();
        JsonNode batch = body.get("enrollments");
        if (batch == null) {
            return List.of(enrollment(campaignId, body, "", now));
        }
        if (!batch.isArray() || batch.isEmpty()) {
            throw Rejection.invalid("enrollments must be a non-empty array of {\"userId\", \"enrolledAt\"?}");
        }
        if (batch.size() > maxEnrollments) {
            throw Rejection.invalid("enrollments holds " + batch.size() + " users; send at most " + maxEnrollments
                    + " per request");
        }
        List<Enrollment> enrollments = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.get(i).isObject()) {
                throw Rejection.invalid("enrollments[" + i + "] must be a JSON object");
            }
            enrollments.add(enrollment(campaignId, batch.get(i), "enrollments[" + i + "].", now));
        }
        return enrollments;
    }

    private static Enrollment enrollment(String campaignId, JsonNode node, String prefix, long now) {
        Fields.rejectUnknown(node, ENROLLMENT_FIELDS);
        String userId = Fields.requiredId(node, prefix, "userId");
        long enrolledAt = EventFacts.time(Fields.optionalTime(node, prefix, "enrolledAt"), now, prefix + "enrolledAt");
        return new Enrollment(campaignId, userId, enrolledAt);
    }

    private void get(RoutingContext ctx) {
        String campaignId = campaigns.require(Fields.campaignId(ctx)).id();
        String userId = Fields.checkId("userId", ctx.pathParam("userId"));
        CompletableFuture<ObjectNode> view = store.enrollment(campaignId, userId).thenCompose(found -> {
            EnrollmentState current = found.orElseThrow(() -> Rejection.notFound("user '" + userId
                    + "' was never enrolled in campaign '" + campaignId + "'"));
            // A held-out user's active enrollment reads holdout, so a sender that sends while it reads
            // active sends them nothing.
            boolean heldOutNow = current.holdout() && EnrollmentState.ACTIVE.equals(current.status());
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("campaignId", campaignId)
                    .put("userId", userId)
                    .put("status", heldOutNow ? HOLDOUT : current.status())
                    .put("holdout", current.holdout())
                    .put("enrolledAt", Views.time(current.enrolledAt()));
            if (current.exitId() == null) {
                return CompletableFuture.completedFuture(body);
            }
            return store.exit(current.exitId()).thenApply(exit -> {
                exit.ifPresent(stored -> body.set("exit", ExitPayload.of(Json.MAPPER, stored.exit())));
                return body;
            });
        });
        Replies.json(ctx, view, 200, body -> body);
    }

    private void remove(RoutingContext ctx) {
        String campaignId = campaigns.require(Fields.campaignId(ctx)).id();
        String userId = Fields.checkId("userId", ctx.pathParam("userId"));
        if (intake.queues()) {
            // The partition's owner takes the user out in order with the user's events; a user not active
            // there is left as is. GET .../enrollments/{userId} shows the exit once it is made.
            Replies.json(ctx, intake.remove(campaignId, userId), 202, queued -> Json.MAPPER.createObjectNode()
                    .put("campaignId", campaignId)
                    .put("userId", userId)
                    .put("queued", 1));
            return;
        }
        Replies.json(ctx, intake.remove(campaignId, userId), 200, exit -> {
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("campaignId", campaignId)
                    .put("userId", userId)
                    .put("status", EnrollmentState.EXITED);
            body.set("exit", ExitPayload.of(Json.MAPPER, exit.orElseThrow(() -> Rejection.notFound(
                    "user '" + userId + "' has no active enrollment in campaign '" + campaignId + "'"))));
            return body;
        });
    }
}
