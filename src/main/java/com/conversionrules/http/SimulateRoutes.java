package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.Rejection;
import com.conversionrules.replay.Arm;
import com.conversionrules.replay.ProposedRules;
import com.conversionrules.replay.Simulator;
import com.conversionrules.rules.LoadedRules;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a change would have done: a campaign's stored past replayed under proposed conversion
 * events, windows or rules, against what really happened. Changes nothing.
 */
final class SimulateRoutes {
    private static final Set<String> FIELDS = Set.of("since", "until", "conversionEvent", "conversionEvents",
            "conversionWindow", "rules");

    private final CampaignService campaigns;
    private final Simulator simulator;
    private final ProposedRules proposals;

    SimulateRoutes(CampaignService campaigns, Simulator simulator, ProposedRules proposals) {
        this.campaigns = campaigns;
        this.simulator = simulator;
        this.proposals = proposals;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.post("/v1/campaigns/:id/simulate").handler(access).handler(new BodyLimit(BodyLimit.CAMPAIGN_BYTES))
                .handler(this::simulate);
    }

    private void simulate(RoutingContext ctx) {
        Campaign campaign = campaigns.require(Fields.campaignId(ctx));
        JsonNode body = Json.objectBody(ctx);
        Fields.rejectUnknown(body, FIELDS);
        long now = simulator.now();
        Long since = Fields.optionalTime(body, "", "since");
        if (since == null) {
            throw Rejection.invalid("since is required: the start of the range to replay, such as "
                    + "2026-11-01T00:00:00Z (the campaign's enrollments made from then on are replayed)");
        }
        Long sentUntil = Fields.optionalTime(body, "", "until");
        long until = sentUntil == null ? now : sentUntil;
        if (until > now) {
            throw Rejection.invalid("until is in the future; a replay covers what happened, up to now at most");
        }
        if (since >= until) {
            throw Rejection.invalid("since must come before until");
        }
        if (Duration.ofMillis(until - since).compareTo(Simulator.LONGEST_RANGE) > 0) {
            throw Rejection.invalid("the range is longer than " + Simulator.LONGEST_RANGE.toDays()
                    + " days; replay a year at a time");
        }
        List<ConversionGoal> goals = CampaignFields.goals(body);
        Campaign proposed = campaign.withGoals(goals == null ? campaign.goals() : goals);
        if (body.has("conversionWindow")) {
            proposed = proposed.withConversionWindow(Fields.optionalConversionWindow(body, "conversionWindow"));
        }
        // Replayed as live whatever its status now: the question is what its enrollments would have done.
        Campaign tried = proposed.launched(campaign.launchedAt() == null ? since : campaign.launchedAt());
        String rulesName = Fields.optionalText(body, "", "rules", Fields.MAX_ID_LENGTH);
        Path folder = rulesName == null ? null : proposals.folder(rulesName);
        LoadedRules running = campaigns.rules();

        AtomicBoolean listening = new AtomicBoolean(true);
        ctx.response().closeHandler(closed -> listening.set(false));
        Replies.json(ctx, simulator.simulate(campaign.id(), since, until, () -> {
            LoadedRules rules = folder == null ? running : ProposedRules.load(folder, rulesName);
            List<String> unknown = tried.conversionEvents().stream()
                    .filter(event -> !rules.conversionEvents().contains(event)).toList();
            if (!unknown.isEmpty()) {
                throw Rejection.unprocessable("unknown conversion event '" + String.join("', '", unknown) + "' in "
                        + (folder == null ? "the running rules" : "the rules folder '" + rulesName + "'")
                        + "; valid ids are " + String.join(", ", rules.conversionEvents().ids()));
            }
            return List.of(new Arm("proposed", rules, tried));
        }, listening::get), 200, result -> SimulationView.of(campaign.id(), rulesName, result));
    }
}
