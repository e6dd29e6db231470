package com.conversionrules.cluster;

import com.conversionrules.http.Json;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.store.CampaignReport;
import com.conversionrules.store.CampaignStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign's figures in one partition, kept as enrollments and exits are written; the cluster's
 * figures are the sum over every partition. Counted the way the embedded store counts them: every
 * enrollment made, those still active and those converted, for the treatment and holdout groups
 * apart, and conversions with the value they carried per conversion event.
 */
final class CampaignCounts {
    private final Group treatment = new Group();
    private final Group holdout = new Group();
    private final Map<String, double[]> byEvent = new TreeMap<>();

    /** Enrolled, active and converted users of one group. */
    private static final class Group {
        private long enrolled;
        private long active;
        private long converted;

        void add(Group other) {
            enrolled += other.enrolled;
            active += other.active;
            converted += other.converted;
        }

        CampaignReport.Group report() {
            return new CampaignReport.Group(enrolled, active, converted);
        }

        ObjectNode toJson() {
            return Json.MAPPER.createObjectNode().put("enrolled", enrolled).put("active", active)
                    .put("converted", converted);
        }

        void read(JsonNode node) {
            enrolled = node.path("enrolled").asLong();
            active = node.path("active").asLong();
            converted = node.path("converted").asLong();
        }
    }

    void addEnrollment(boolean heldOut) {
        Group group = heldOut ? holdout : treatment;
        group.enrolled++;
        group.active++;
    }

    void addExit(Exit exit) {
        Group group = exit.holdout() ? holdout : treatment;
        group.active--;
        if (exit.reason() == ExitReason.CONVERTED) {
            group.converted++;
            double[] event = byEvent.computeIfAbsent(String.valueOf(exit.conversionEvent()), id -> new double[2]);
            event[0]++;
            event[1] += exit.value();
        }
    }

    void add(CampaignCounts other) {
        treatment.add(other.treatment);
        holdout.add(other.holdout);
        other.byEvent.forEach((event, counts) -> {
            double[] sum = byEvent.computeIfAbsent(event, id -> new double[2]);
            sum[0] += counts[0];
            sum[1] += counts[1];
        });
    }

    /** The figures as the embedded store reports them. */
    CampaignReport report() {
        List<CampaignReport.EventConversions> events = new ArrayList<>();
        double revenue = 0;
        for (Map.Entry<String, double[]> entry : byEvent.entrySet()) {
            events.add(new CampaignReport.EventConversions(entry.getKey(), (long) entry.getValue()[0],
                    entry.getValue()[1]));
            revenue += entry.getValue()[1];
        }
        CampaignStats totals = new CampaignStats(treatment.enrolled + holdout.enrolled,
                treatment.active + holdout.active, treatment.converted + holdout.converted, revenue);
        return new CampaignReport(totals, treatment.report(), holdout.report(), events);
    }

    byte[] toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("treatment", treatment.toJson());
        node.set("holdout", holdout.toJson());
        ObjectNode events = node.putObject("byConversionEvent");
        byEvent.forEach((event, counts) -> events.putObject(event).put("converted", (long) counts[0])
                .put("revenue", counts[1]));
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
    }

    /** The counts a store holds; none yet when {@code json} is null. */
    static CampaignCounts fromJson(byte[] json) {
        CampaignCounts counts = new CampaignCounts();
        if (json != null) {
            JsonNode node = Wire.tree(json);
            counts.treatment.read(node.path("treatment"));
            counts.holdout.read(node.path("holdout"));
            node.path("byConversionEvent").fields().forEachRemaining(entry -> counts.byEvent.put(entry.getKey(),
                    new double[] {entry.getValue().path("converted").asLong(), entry.getValue().path("revenue").asDouble()}));
        }
        return counts;
    }
}
