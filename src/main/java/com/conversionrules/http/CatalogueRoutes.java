package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The conversion events a campaign can name, read from the loaded rules. */
final class CatalogueRoutes {
    private final CampaignService campaigns;

    CatalogueRoutes(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/conversion-events").handler(access).handler(this::list);
    }

    private void list(RoutingContext ctx) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("conversionEvents");
        campaigns.conversionEvents().all().forEach(definition -> list.add(Views.conversionEvent(definition)));
        Json.reply(ctx, 200, body);
    }
}
