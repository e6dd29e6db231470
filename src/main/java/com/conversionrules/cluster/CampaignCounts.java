package com.conversionrules.cluster;

import com.conversionrules.http.Json;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.store.CampaignStats;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A campaign's figures in one partition, kept as enrollments and exits are written; the cluster's
 * figures are the sum over every partition. Counted the way the embedded store counts them: every
 * enrollment made, those still active, conversions and the value they carried.
 */
final class CampaignCounts {
    private long enrolled;
    private long active;
    private long converted;
    private double revenue;

    void addEnrollment() {
        enrolled++;
        active++;
    }

    void addExit(Exit exit) {
        active--;
        if (exit.reason() == ExitReason.CONVERTED) {
            converted++;
            revenue += exit.value();
        }
    }

    void add(CampaignCounts other) {
        enrolled += other.enrolled;
        active += other.active;
        converted += other.converted;
        revenue += other.revenue;
    }

    CampaignStats stats() {
        return new CampaignStats(enrolled, active, converted, revenue);
    }

    byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode()
                    .put("enrolled", enrolled)
                    .put("active", active)
                    .put("converted", converted)
                    .put("revenue", revenue));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
    }

    /** The counts a store holds; none yet when {@code json} is null. */
    static CampaignCounts fromJson(byte[] json) {
        CampaignCounts counts = new CampaignCounts();
        if (json != null) {
            JsonNode node = Wire.tree(json);
            counts.enrolled = node.path("enrolled").asLong();
            counts.active = node.path("active").asLong();
            counts.converted = node.path("converted").asLong();
            counts.revenue = node.path("revenue").asDouble();
        }
        return counts;
    }
}
