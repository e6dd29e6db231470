package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Reentry;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.ReadModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Campaigns: create, read, change, review, launch, end, and their stats. */
final class CampaignRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("id", "name", "type", "conversionEvent", "conversionEvents",
            "conversionWindow", "reentry", "holdoutPercent");
    private static final Set<String> PATCH_FIELDS = Set.of("name", "conversionEvent", "conversionEvents",
            "conversionWindow", "reentry", "holdoutPercent");

    private final CampaignService campaigns;
    private final ReadModel store;

    CampaignRoutes(CampaignService campaigns, ReadModel store) {
        this.campaigns = campaigns;
        this.store = store;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        BodyLimit small = new BodyLimit(BodyLimit.CAMPAIGN_BYTES);
        router.post("/v1/campaigns").handler(access).handler(small).handler(this::create);
        router.get("/v1/campaigns").handler(access).handler(this::list);
        router.get("/v1/campaigns/:id").handler(access).handler(this::get);
        router.patch("/v1/campaigns/:id").handler(access).handler(small).handler(this::update);
        router.get("/v1/campaigns/:id/review").handler(access).handler(this::review);
        router.post("/v1/campaigns/:id/launch").handler(access).handler(this::launch);
        router.post("/v1/campaigns/:id/end").handler(access).handler(this::end);
        router.get("/v1/campaigns/:id/stats").handler(access).handler(this::stats);
    }

    private void create(RoutingContext ctx) {
        JsonNode body = Json.objectBody(ctx);
        Fields.rejectUnknown(body, CREATE_FIELDS);
        String id = Fields.requiredId(body, "", "id");
        String name = Fields.requiredText(body, "", "name", Fields.MAX_NAME_LENGTH);
        String typeName = Fields.requiredText(body, "", "type", 32);
        CampaignType type = CampaignType.fromWire(typeName);
        if (type == null) {
            throw Rejection.invalid("type '" + Fields.abbreviate(typeName)
                    + "' is not a campaign type; use multi_touch, automation or flow");
        }
        List<ConversionGoal> goals = CampaignFields.goals(body);
        Integer holdoutPercent = CampaignFields.holdoutPercent(body);
        CampaignService.Draft draft = new CampaignService.Draft(id, name, type,
                goals == null ? ConversionGoal.only(Campaign.NO_CONVERSION_EVENT) : goals,
                Fields.optionalConversionWindow(body, "conversionWindow"), CampaignFields.reentry(body),
                holdoutPercent == null ? 0 : holdoutPercent);
        Replies.json(ctx, campaigns.create(draft), 201, Views::campaign);
    }

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("campaigns");
        campaigns.all().stream().sorted(Comparator.comparing(Campaign::createdAt).thenComparing(Campaign::id))
                .map(Views::campaign).forEach(list::add);
        Json.reply(ctx, 200, body);
    }

    private void get(RoutingContext ctx) {
        Json.reply(ctx, 200, Views.campaign(campaigns.require(Fields.campaignId(ctx))));
    }

    private void update(RoutingContext ctx) {
        String id = Fields.campaignId(ctx);
        campaigns.require(id);
        JsonNode body = Json.objectBody(ctx);
        Fields.rejectUnknown(body, PATCH_FIELDS);
        // conversionWindow: null removes the window; leaving the field out keeps it.
        boolean windowChanged = body.has("conversionWindow");
        CampaignService.Changes changes = new CampaignService.Changes(
                Fields.optionalText(body, "", "name", Fields.MAX_NAME_LENGTH), CampaignFields.goals(body),
                windowChanged, Fields.optionalConversionWindow(body, "conversionWindow"), CampaignFields.reentry(body),
                CampaignFields.holdoutPercent(body));
        if (changes.name() == null && changes.goals() == null && !windowChanged && changes.reentry() == null
                && changes.holdoutPercent() == null) {
            throw Rejection.invalid("nothing to change: send name, conversionEvent or conversionEvents, "
                    + "conversionWindow, reentry and/or holdoutPercent");
        }
        Replies.json(ctx, campaigns.update(id, changes), 200, Views::campaign);
    }

    private void review(RoutingContext ctx) {
        Campaign campaign = campaigns.require(Fields.campaignId(ctx));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("campaign", Views.campaign(campaign));
        ArrayNode warnings = body.putArray("warnings");
        ArrayNode definitions = body.putArray("conversionEvents");
        for (String conversionEvent : campaign.conversionEvents()) {
            campaigns.conversionEvents().find(conversionEvent).ifPresentOrElse(definition -> {
                definitions.add(Views.conversionEvent(definition));
                if (definition.warning() != null) {
                    warnings.add(definition.warning());
                }
            }, () -> {
                definitions.addObject().put("id", conversionEvent).put("missing", true);
                warnings.add("No loaded rule defines the conversion event '" + conversionEvent
                        + "': nobody will convert on it until a policy for it is back in the rules folder.");
            });
        }
        // The first conversion event, as before campaigns could have several.
        body.set("conversionEvent", definitions.get(0));
        if (campaign.goals().size() > 1) {
            warnings.add("A user exits on the first of " + String.join(", ", campaign.conversionEvents())
                    + " that happens; when one event counts for several, the exit is credited to the one listed first.");
        }
        if (campaign.type() == CampaignType.FLOW) {
            warnings.add("Flows do not exit users on conversion: each step asks GET /v1/users/{userId}/performed.");
        }
        if (campaign.terms().stream().anyMatch(terms -> terms.conversionWindow() != null)) {
            warnings.add("Only events within " + windows(campaign) + " of a user's enrollment convert; "
                    + "a user who converts later stays in the campaign until removed or the campaign ends.");
        }
        if (campaign.reentry().kind() != Reentry.Kind.ALWAYS) {
            warnings.add("Users who left are enrolled again " + (campaign.reentry().kind() == Reentry.Kind.NEVER
                    ? "never" : "only " + ConversionWindow.text(campaign.reentry().after()) + " after leaving")
                    + " (reentry: " + campaign.reentry() + "); enrollment answers count the others as refusedReentry.");
        }
        if (campaign.holdoutPercent() > 0) {
            warnings.add(campaign.holdoutPercent() + "% of enrolled users are held out: the sender must send them "
                    + "nothing (their enrollment status says holdout). holdoutPercent cannot change after launch.");
        }
        Json.reply(ctx, 200, body);
    }

    /** "P7D" for one window; "P7D (placed_order), P1D (clicked_email)" when they differ by event. */
    private static String windows(Campaign campaign) {
        List<ConversionTerms> terms = campaign.terms();
        if (terms.stream().map(ConversionTerms::conversionWindow).distinct().count() == 1) {
            return terms.get(0).conversionWindow().toString();
        }
        return terms.stream().filter(term -> term.conversionWindow() != null)
                .map(term -> term.conversionWindow() + " (" + term.conversionEvent() + ")")
                .collect(Collectors.joining(", "));
    }

    private void launch(RoutingContext ctx) {
        String id = Fields.campaignId(ctx);
        campaigns.require(id);
        Replies.json(ctx, campaigns.launch(id), 200, Views::campaign);
    }

    private void end(RoutingContext ctx) {
        String id = Fields.campaignId(ctx);
        campaigns.require(id);
        Replies.json(ctx, campaigns.end(id), 200,
                ended -> Views.campaign(ended.campaign()).put("enrollmentsEnded", ended.enrollmentsEnded()));
    }

    private void stats(RoutingContext ctx) {
        String id = campaigns.require(Fields.campaignId(ctx)).id();
        int holdoutPercent = campaigns.require(id).holdoutPercent();
        Replies.json(ctx, store.report(id), 200, report -> Views.stats(id, holdoutPercent, report));
    }
}
