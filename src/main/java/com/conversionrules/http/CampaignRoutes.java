package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.ReadModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.Set;

/** Campaigns: create, read, change, review, launch, end, and their stats. */
final class CampaignRoutes {
    private static final Set<String> CREATE_FIELDS = Set.of("id", "name", "type", "conversionEvent", "conversionWindow");
    private static final Set<String> PATCH_FIELDS = Set.of("name", "conversionEvent", "conversionWindow");

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
        String conversionEvent = Fields.optionalText(body, "", "conversionEvent", Fields.MAX_ID_LENGTH);
        CampaignService.Draft draft = new CampaignService.Draft(id, name, type,
                conversionEvent == null ? Campaign.NO_CONVERSION_EVENT : conversionEvent,
                Fields.optionalConversionWindow(body, "conversionWindow"));
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
                Fields.optionalText(body, "", "name", Fields.MAX_NAME_LENGTH),
                Fields.optionalText(body, "", "conversionEvent", Fields.MAX_ID_LENGTH),
                windowChanged, Fields.optionalConversionWindow(body, "conversionWindow"));
        if (changes.name() == null && changes.conversionEvent() == null && !windowChanged) {
            throw Rejection.invalid("nothing to change: send name, conversionEvent and/or conversionWindow");
        }
        Replies.json(ctx, campaigns.update(id, changes), 200, Views::campaign);
    }

    private void review(RoutingContext ctx) {
        Campaign campaign = campaigns.require(Fields.campaignId(ctx));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("campaign", Views.campaign(campaign));
        ArrayNode warnings = body.putArray("warnings");
        campaigns.conversionEvents().find(campaign.conversionEvent()).ifPresentOrElse(definition -> {
            body.set("conversionEvent", Views.conversionEvent(definition));
            if (definition.warning() != null) {
                warnings.add(definition.warning());
            }
        }, () -> {
            body.putObject("conversionEvent").put("id", campaign.conversionEvent()).put("missing", true);
            warnings.add("No loaded rule defines the conversion event '" + campaign.conversionEvent()
                    + "': nobody will convert until a policy for it is back in the rules folder.");
        });
        if (campaign.type() == CampaignType.FLOW) {
            warnings.add("Flows do not exit users on conversion: each step asks GET /v1/users/{userId}/performed.");
        }
        if (campaign.conversionWindow() != null) {
            warnings.add("Only events within " + campaign.conversionWindow() + " of a user's enrollment convert; "
                    + "a user who converts later stays in the campaign until removed or the campaign ends.");
        }
        Json.reply(ctx, 200, body);
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
        Replies.json(ctx, store.stats(id), 200, stats ->
                Json.MAPPER.createObjectNode()
                        .put("campaignId", id)
                        .put("enrolled", stats.enrolled())
                        .put("active", stats.active())
                        .put("converted", stats.converted())
                        .put("conversionRate", stats.enrolled() == 0 ? 0.0
                                : Math.round(10_000.0 * stats.converted() / stats.enrolled()) / 10_000.0)
                        .put("revenue", stats.revenue()));
    }
}
