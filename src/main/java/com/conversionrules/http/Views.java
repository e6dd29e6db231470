package com.conversionrules.http;

import com.conversionrules.engine.EnrollOutcome;
import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.holdout.Uplift;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.ConversionEventDefinition;
import com.conversionrules.rules.EventNamesRead;
import com.conversionrules.sender.ExitPayload;
import com.conversionrules.store.CampaignReport;
import com.conversionrules.store.CampaignStats;
import com.conversionrules.store.DeliveryState;
import com.conversionrules.store.ExplainedExit;
import com.conversionrules.store.StoredExit;
import com.conversionrules.tracking.EventNameTracker;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the API's resources. */
public final class Views {
    private Views() {
    }

    static ObjectNode campaign(Campaign campaign) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("id", campaign.id())
                .put("name", campaign.name())
                .put("type", campaign.type().wire())
                .put("conversionEvent", campaign.conversionEvent());
        ArrayNode goals = node.putArray("conversionEvents");
        for (ConversionGoal goal : campaign.goals()) {
            goals.addObject()
                    .put("id", goal.conversionEvent())
                    .put("conversionWindow", window(goal.conversionWindow()));
        }
        return node
                .put("conversionWindow", window(campaign.conversionWindow()))
                .put("reentry", campaign.reentry().toString())
                .put("holdoutPercent", campaign.holdoutPercent())
                .put("status", campaign.status().wire())
                .put("createdAt", time(campaign.createdAt()))
                .put("launchedAt", time(campaign.launchedAt()))
                .put("endedAt", time(campaign.endedAt()));
    }

    private static String window(ConversionWindow window) {
        return window == null ? null : window.toString();
    }

    /**
     * A campaign's figures: in total, per conversion event, and, when it holds users out, the two
     * groups side by side with the lift and its 95% interval.
     */
    static ObjectNode stats(String campaignId, int holdoutPercent, CampaignReport report) {
        CampaignStats stats = report.totals();
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("campaignId", campaignId)
                .put("enrolled", stats.enrolled())
                .put("active", stats.active())
                .put("converted", stats.converted())
                .put("conversionRate", rate(stats.converted(), stats.enrolled()))
                .put("revenue", stats.revenue());
        ArrayNode byEvent = node.putArray("conversionEvents");
        for (CampaignReport.EventConversions counts : report.byConversionEvent()) {
            byEvent.addObject()
                    .put("id", counts.conversionEvent())
                    .put("converted", counts.converted())
                    .put("conversionRate", rate(counts.converted(), stats.enrolled()))
                    .put("revenue", counts.revenue());
        }
        if (holdoutPercent == 0 && report.holdout().enrolled() == 0) {
            node.putNull("uplift");
            return node;
        }
        Uplift uplift = Uplift.of(new Uplift.Group(report.treatment().enrolled(), report.treatment().converted()),
                new Uplift.Group(report.holdout().enrolled(), report.holdout().converted()));
        ObjectNode lift = node.putObject("uplift").put("holdoutPercent", holdoutPercent);
        group(lift.putObject("treatment"), uplift.treatment());
        group(lift.putObject("holdout"), uplift.holdout());
        lift.put("absoluteLift", rounded(uplift.absolute()))
                .put("relativeLift", rounded(uplift.relative()));
        lift.putObject("interval95")
                .put("low", rounded(uplift.low()))
                .put("high", rounded(uplift.high()));
        lift.put("method", Uplift.METHOD);
        return node;
    }

    private static void group(ObjectNode node, Uplift.Group group) {
        node.put("enrolled", group.enrolled())
                .put("converted", group.converted())
                .put("conversionRate", rounded(group.rate()));
    }

    /** Four decimals, as rates have always been shown. */
    private static double rate(long converted, long enrolled) {
        return enrolled == 0 ? 0.0 : Math.round(10_000.0 * converted / enrolled) / 10_000.0;
    }

    /** Six decimals: lifts of a tenth of a percent must still show. */
    private static Double rounded(Double value) {
        return value == null ? null : Math.round(value * 1_000_000.0) / 1_000_000.0;
    }

    /** What an enrollment request came to, with the first users re-entry refused and why. */
    /** What an enrollment request came to; in a cluster, how many enrollments the log took. */
    static ObjectNode enrollOutcome(EnrollOutcome outcome) {
        if (outcome.queued() > 0) {
            return Json.MAPPER.createObjectNode().put("queued", outcome.queued());
        }
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("enrolled", outcome.enrolled())
                .put("alreadyActive", outcome.alreadyActive())
                .put("refusedReentry", outcome.refusedReentry())
                .put("holdout", outcome.holdout());
        ArrayNode refused = node.putArray("refused");
        for (EnrollOutcome.ReentryRefused refusal : outcome.refusals()) {
            refused.addObject().put("userId", refusal.userId()).put("reason", refusal.reason());
        }
        return node;
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

    /** The names in an ingestion request that no loaded rule reads, each with what it was probably meant to be. */
    public static ArrayNode unrecognized(List<EventNameTracker.Unrecognized> names) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (EventNameTracker.Unrecognized name : names) {
            list.addObject().put("name", name.name()).put("events", name.events()).put("didYouMean", name.didYouMean());
        }
        return list;
    }

    static ObjectNode reader(EventNamesRead.Reader reader) {
        return Json.MAPPER.createObjectNode()
                .put("rule", reader.rule())
                .put("file", reader.file())
                .put("conversionEvent", reader.conversionEvent());
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
