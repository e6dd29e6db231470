package com.conversionrules.cluster;

import com.conversionrules.model.Exit;
import com.conversionrules.store.EnrollmentIndex;
import com.conversionrules.store.EnrollmentState;
import com.conversionrules.store.ExplainedExit;
import com.conversionrules.store.Performed;
import com.conversionrules.store.StoredExit;
import com.conversionrules.store.UserEnrollment;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The per-user reads and campaign counts, answered from one partition's state stores (see {@link PartitionState}). */
final class PartitionReads {
    private static final StringSerializer KEYS = new StringSerializer();

    private PartitionReads() {
    }

    /** The user's latest enrollment in the campaign. */
    static Optional<EnrollmentState> enrollment(ReadOnlyKeyValueStore<String, byte[]> history, String campaignId,
                                                String userId) {
        return latestEntry(history, campaignId, userId).map(entry -> {
            JsonNode exit = entry.get("exit");
            return new EnrollmentState(campaignId, userId, entry.path("status").asText(),
                    entry.path("enrolledAt").asLong(), exit == null ? null : exit.path("id").asText(),
                    entry.path("holdout").asBoolean());
        });
    }

    /** The user's latest enrollment in the campaign, for re-entry rules: when it began, and when it ended. */
    static Optional<EnrollmentIndex.Latest> latest(ReadOnlyKeyValueStore<String, byte[]> history, String campaignId,
                                                   String userId) {
        return latestEntry(history, campaignId, userId).map(entry -> {
            JsonNode exit = entry.get("exit");
            return new EnrollmentIndex.Latest(entry.path("enrolledAt").asLong(),
                    exit == null ? null : Wire.exit(exit).exitedAt());
        });
    }

    /** The last of the user's enrollments in the campaign: their keys sort by when they began. */
    private static Optional<JsonNode> latestEntry(ReadOnlyKeyValueStore<String, byte[]> history, String campaignId,
                                                  String userId) {
        byte[] latest = null;
        try (KeyValueIterator<String, byte[]> rows = history.prefixScan(
                userId + PartitionState.SEP + campaignId + PartitionState.SEP, KEYS)) {
            while (rows.hasNext()) {
                latest = rows.next().value;
            }
        }
        return latest == null ? Optional.empty() : Optional.of(Wire.tree(latest));
    }

    /** Every enrollment of the user, newest first, with how each ended. */
    static List<UserEnrollment> enrollmentsOf(ReadOnlyKeyValueStore<String, byte[]> history, String userId, int limit) {
        List<UserEnrollment> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> rows = history.prefixScan(userId + PartitionState.SEP, KEYS)) {
            while (rows.hasNext()) {
                KeyValue<String, byte[]> row = rows.next();
                String campaignId = row.key.split(String.valueOf(PartitionState.SEP), -1)[1];
                JsonNode entry = Wire.tree(row.value);
                JsonNode exitNode = entry.get("exit");
                ExplainedExit exit = null;
                if (exitNode != null) {
                    Exit ended = Wire.exit(exitNode);
                    JsonNode eventTime = entry.get("eventTime");
                    exit = new ExplainedExit(new StoredExit(ended, List.of()),
                            entry.hasNonNull("eventName") ? entry.get("eventName").asText() : null,
                            eventTime == null || eventTime.isNull() ? null : eventTime.asLong());
                }
                all.add(new UserEnrollment(campaignId, entry.path("status").asText(), entry.path("enrolledAt").asLong(),
                        exit));
            }
        }
        all.sort(Comparator.comparingLong(UserEnrollment::enrolledAt).reversed());
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    /** How often the user performed the event at or after {@code since}, and when last. */
    static Performed performed(ReadOnlyKeyValueStore<String, Long> events, String userId, String name, long since) {
        long count = 0;
        Long last = null;
        String prefix = userId + PartitionState.SEP + name + PartitionState.SEP;
        try (KeyValueIterator<String, Long> rows = events.prefixScan(prefix, KEYS)) {
            while (rows.hasNext()) {
                String key = rows.next().key;
                long time = PartitionState.unhex(key.substring(prefix.length(), prefix.length() + 16));
                if (time >= since) {
                    count++;
                    last = last == null ? time : Math.max(last, time);
                }
            }
        }
        return new Performed(count, last);
    }

    static CampaignCounts counts(ReadOnlyKeyValueStore<String, byte[]> counts, String campaignId) {
        return CampaignCounts.fromJson(counts.get(campaignId));
    }
}
