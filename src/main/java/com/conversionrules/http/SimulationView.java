package com.conversionrules.http;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.replay.Arm;
import com.conversionrules.replay.Outcome;
import com.conversionrules.replay.ReplayReport;
import com.conversionrules.replay.Simulator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** The JSON answer of a simulation: what was tried, over what, and what it would have changed. */
final class SimulationView {
    private SimulationView() {
    }

    static ObjectNode of(String campaignId, String rulesName, Simulator.Result result) {
        ReplayReport report = result.report();
        Arm arm = result.arms().get(0);
        ReplayReport.ArmResult simulated = report.arms().get(0);
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("campaignId", campaignId)
                .put("since", Views.time(result.from()))
                .put("until", Views.time(result.until()))
                .put("historyRetainedSince", Views.time(result.retainedSince()));
        ObjectNode proposed = node.putObject("proposed");
        ArrayNode goals = proposed.putArray("conversionEvents");
        Campaign campaign = arm.campaign();
        for (ConversionGoal goal : campaign.goals()) {
            goals.addObject().put("id", goal.conversionEvent()).put("conversionWindow",
                    goal.conversionWindow() == null ? null : goal.conversionWindow().toString());
        }
        proposed.put("conversionWindow", campaign.conversionWindow() == null ? null
                : campaign.conversionWindow().toString());
        proposed.put("rules", rulesName).put("rulesVersion", arm.rules().version());
        node.put("enrollments", report.enrollments())
                .put("users", report.users())
                .put("events", report.events())
                .put("eventsSetAside", simulated.eventsSetAside());
        tally(node.putObject("actual"), report.actual(), report.enrollments());
        tally(node.putObject("simulated"), simulated.tally(), report.enrollments());
        ReplayReport.Changes changes = report.changes();
        node.putObject("changes")
                .put("newlyConverted", changes.newlyConverted())
                .put("noLongerConverted", changes.noLongerConverted())
                .put("convertedDifferently", changes.convertedDifferently())
                .put("unchanged", changes.unchanged());
        ArrayNode days = node.putArray("byDay");
        for (Map.Entry<java.time.LocalDate, long[]> day : report.byDay().entrySet()) {
            days.addObject().put("date", day.getKey().toString())
                    .put("actual", day.getValue()[0])
                    .put("simulated", day.getValue()[1]);
        }
        ArrayNode differences = node.putArray("differences");
        for (ReplayReport.Difference difference : report.differences()) {
            ObjectNode entry = differences.addObject()
                    .put("userId", difference.userId())
                    .put("enrolledAt", Views.time(difference.enrolledAt()));
            entry.set("actual", outcome(difference.actual()));
            entry.set("simulated", outcome(difference.arms().get(0)));
        }
        node.put("tookMillis", result.tookMillis());
        return node;
    }

    private static void tally(ObjectNode node, ReplayReport.Tally tally, long enrollments) {
        node.put("converted", tally.converted())
                .put("conversionRate", enrollments == 0 ? 0.0
                        : Math.round(10_000.0 * tally.converted() / enrollments) / 10_000.0);
        ObjectNode byEvent = node.putObject("byConversionEvent");
        tally.byConversionEvent().forEach(byEvent::put);
    }

    static ObjectNode outcome(Outcome outcome) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("converted", outcome.converted());
        if (outcome.converted()) {
            node.put("conversionEvent", outcome.conversionEvent())
                    .put("at", Views.time(outcome.at()))
                    .put("eventId", outcome.eventId());
        }
        return node;
    }
}
