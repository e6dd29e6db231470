package com.conversionrules.http;

import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.ConversionEventDefinition;
import com.conversionrules.sender.ExitPayload;
import com.conversionrules.store.DeliveryState;
import com.conversionrules.store.ExplainedExit;
import com.conversionrules.store.StoredExit;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

    /** An exit with a {@code deliveries} object: where its delivery to each sender endpoint stands. */
    static ObjectNode exit(StoredExit stored) {
        ObjectNode node = ExitPayload.of(Json.MAPPER, stored.exit());
        ObjectNode deliveries = node.putObject("deliveries");
        for (DeliveryState delivery : stored.deliveries()) {
            deliveries.putObject(delivery.endpoint())
                    .put("state", state(delivery))
                    .put("attempts", delivery.attempts())
                    .put("lastStatus", delivery.lastStatus())
                    .put("lastError", delivery.lastError())
                    .put("deliveredAt", time(delivery.deliveredAt()))
                    .put("nextAttemptAt", delivery.deliveredAt() != null || delivery.gaveUpAt() != null
                            || delivery.attempts() == 0 ? null : time(delivery.nextAttemptAt()))
                    .put("gaveUpAt", time(delivery.gaveUpAt()));
        }
        return node;
    }

    /**
     * An exit as {@link #exit} shows it, with the event that caused it: {@code event} holds its id,
     * name and time (the name and time are null if the store no longer has the event).
     */
    static ObjectNode explainedExit(ExplainedExit explained) {
        ObjectNode node = exit(explained.stored());
        String eventId = explained.stored().exit().eventId();
        if (eventId != null) {
            node.putObject("event")
                    .put("id", eventId)
                    .put("name", explained.eventName())
                    .put("time", time(explained.eventTime()));
        }
        return node;
    }

    /** delivered; failed (gave up); endpoint_disabled (it answered 410); endpoint_removed (no longer configured); pending. */
    private static String state(DeliveryState delivery) {
        if (delivery.deliveredAt() != null) {
            return "delivered";
        }
        if (delivery.gaveUpAt() != null) {
            return "failed";
        }
        if (delivery.endpointDisabledAt() != null) {
            return "endpoint_disabled";
        }
        return delivery.endpointConfigured() ? "pending" : "endpoint_removed";
    }

    /**
     * What an ingestion request came to: the counts, and each event set aside with the rule and why;
     * in a cluster, how many events the log took.
     */
    static ObjectNode eventsOutcome(EventsOutcome outcome) {
        if (outcome.queued() > 0) {
            return Json.MAPPER.createObjectNode().put("queued", outcome.queued());
        }
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("accepted", outcome.accepted())
                .put("duplicates", outcome.duplicates());
        ArrayNode failed = node.putArray("failed");
        for (FailedEvent event : outcome.failed()) {
            failed.addObject()
                    .put("id", event.event().getId())
                    .put("userId", event.event().getUserId())
                    .put("rule", event.rule())
                    .put("reason", event.reason());
        }
        return node;
    }

    /** A failed event as the operator's feed shows it: the event as sent, and what failed on it. */
    static ObjectNode failedEvent(FailedEvent failed) {
        UserEvent event = failed.event();
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("seq", Long.toString(failed.seq()))
                .put("failedAt", time(failed.failedAt()))
                .put("reason", failed.reason());
        node.putObject("rule")
                .put("name", failed.rule())
                .put("file", failed.ruleFile())
                .put("rulesVersion", failed.rulesVersion());
        ObjectNode sent = node.putObject("event")
                .put("id", event.getId())
                .put("userId", event.getUserId())
                .put("name", event.getName())
                .put("time", time(event.getTime()))
                .put("campaignId", event.getCampaignId());
        sent.set("properties", event.propertiesJson() == null ? Json.MAPPER.createObjectNode()
                : Json.tree(event.propertiesJson()));
        return node;
    }

    static String time(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
