package com.conversionrules.http;

import com.conversionrules.model.Campaign;
import com.conversionrules.rules.ConversionEventDefinition;
import com.conversionrules.sender.ExitPayload;
import com.conversionrules.store.ExitRecords;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The JSON shapes of the API's resources. */
final class Views {
    private Views() {
    }

    static ObjectNode campaign(Campaign campaign) {
        return Json.MAPPER.createObjectNode()
                .put("id", campaign.id())
                .put("name", campaign.name())
                .put("type", campaign.type().wire())
                .put("conversionEvent", campaign.conversionEvent())
                .put("conversionWindow", campaign.conversionWindow() == null ? null
                        : campaign.conversionWindow().toString())
                .put("status", campaign.status().wire())
                .put("createdAt", time(campaign.createdAt()))
                .put("launchedAt", time(campaign.launchedAt()))
                .put("endedAt", time(campaign.endedAt()));
    }

    static ObjectNode conversionEvent(ConversionEventDefinition definition) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("id", definition.id())
                .put("label", definition.label())
                .put("description", definition.description())
                .put("file", definition.file());
        node.putArray("rules").addAll(definition.rules().stream().map(Json.MAPPER.getNodeFactory()::textNode).toList());
        return node;
    }

    static ObjectNode exit(ExitRecords.Stored stored) {
        ObjectNode node = ExitPayload.of(Json.MAPPER, stored.exit());
        ExitRecords.Delivery delivery = stored.delivery();
        node.putObject("delivery")
                .put("delivered", delivery.deliveredAt() != null)
                .put("attempts", delivery.attempts())
                .put("lastStatus", delivery.lastStatus())
                .put("lastError", delivery.lastError())
                .put("deliveredAt", time(delivery.deliveredAt()));
        return node;
    }

    static String time(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
