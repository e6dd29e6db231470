package com.conversionrules.cluster;

import com.conversionrules.engine.ShardCore;
import com.conversionrules.http.Json;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.EnrollmentIndex;
import com.conversionrules.store.EnrollmentState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One partition's state in its Kafka Streams state stores (RocksDB, each with a changelog topic):
 * what its session is rebuilt from when the partition is assigned, and what the per-user reads and
 * the campaign counts are answered from. The processor writes each step's {@link ChangeBatch} here,
 * in the same transaction as the records it consumed and produced.
 *
 * <p>Keys join ids with {@value #SEP} (never in an id) and times as 16 hex digits, so a prefix scan
 * finds a user's records in time order.
 */
final class PartitionState {
    static final String CAMPAIGNS = "campaigns";
    static final String ACTIVE = "active-enrollments";
    static final String SEEN = "seen-event-ids";
    static final String HISTORY = "user-enrollments";
    static final String EVENTS = "user-events";
    static final String COUNTS = "campaign-counts";
    static final String[] ALL = {CAMPAIGNS, ACTIVE, SEEN, HISTORY, EVENTS, COUNTS};

    static final char SEP = '\u0000';

    /** campaign id -> the campaign as {@link Wire#campaign} writes it. */
    private final KeyValueStore<String, byte[]> campaigns;
    /** campaign id, user id -> enrolledAt of the active enrollment. */
    private final KeyValueStore<String, Long> active;
    /** receivedAt (8 bytes, big-endian), fingerprint (8 bytes) -> nothing: the dedupe window, oldest first. */
    private final KeyValueStore<Bytes, byte[]> seen;
    /** user id, campaign id, enrolledAt -> the enrollment and how it ended ({@link #historyEntry}). */
    private final KeyValueStore<String, byte[]> history;
    /** user id, event name, time, event id -> receivedAt: what performed-event queries count. */
    private final KeyValueStore<String, Long> events;
    /** campaign id -> this partition's {@link CampaignCounts}. */
    private final KeyValueStore<String, byte[]> counts;

    PartitionState(ProcessorContext<?, ?> context) {
        this.campaigns = context.getStateStore(CAMPAIGNS);
        this.active = context.getStateStore(ACTIVE);
        this.seen = context.getStateStore(SEEN);
        this.history = context.getStateStore(HISTORY);
        this.events = context.getStateStore(EVENTS);
        this.counts = context.getStateStore(COUNTS);
    }

    /** The users' past enrollments, for re-entry rules: read from this partition's history. */
    EnrollmentIndex pastEnrollments() {
        return new EnrollmentIndex() {
            @Override
            public Optional<Latest> latest(String campaignId, String userId) {
                return PartitionReads.latest(history, campaignId, userId);
            }

            @Override
            public void close() {
                // The store is Kafka Streams' to close.
            }
        };
    }

    List<Campaign> campaigns() {
        List<Campaign> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> rows = campaigns.all()) {
            rows.forEachRemaining(row -> all.add(Wire.campaign(row.value)));
        }
        return all;
    }

    List<Enrollment> activeEnrollments() {
        List<Enrollment> all = new ArrayList<>();
        try (KeyValueIterator<String, Long> rows = active.all()) {
            while (rows.hasNext()) {
                KeyValue<String, Long> row = rows.next();
                int sep = row.key.indexOf(SEP);
                all.add(new Enrollment(row.key.substring(0, sep), row.key.substring(sep + 1), row.value));
            }
        }
        return all;
    }

    /** Receives the fingerprints of the event ids received since a time. */
    interface SeenSink {
        void seen(long fingerprint, long receivedAt);
    }

    void seenSince(long since, SeenSink sink) {
        try (KeyValueIterator<Bytes, byte[]> rows = seen.range(seenKey(Math.max(0, since), Long.MIN_VALUE), null)) {
            while (rows.hasNext()) {
                ByteBuffer key = ByteBuffer.wrap(rows.next().key.get());
                long receivedAt = key.getLong();
                sink.seen(key.getLong(), receivedAt);
            }
        }
    }

    /** Drops the event ids received before {@code cutoff}: past the dedupe window. Returns how many. */
    int forgetSeenBefore(long cutoff) {
        List<Bytes> old = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> rows = seen.range(seenKey(0, Long.MIN_VALUE), seenKey(Math.max(0, cutoff), Long.MIN_VALUE))) {
            rows.forEachRemaining(row -> old.add(row.key));
        }
        old.forEach(seen::delete);
        return old.size();
    }

    /** Where the last look for events past their retention stopped; null to start from the first. */
    private String eventsCursor;

    /**
     * Drops events received before {@code cutoff} (past {@code EVENT_RETENTION}), looking at up to
     * {@code budget} of them from where the last call stopped, so a partition with millions of
     * events is never held up for long. Returns how many it dropped.
     */
    int forgetEventsBefore(long cutoff, int budget) {
        List<String> old = new ArrayList<>();
        int looked = 0;
        String last = null;
        try (KeyValueIterator<String, Long> rows = events.range(eventsCursor, null)) {
            while (looked < budget && rows.hasNext()) {
                KeyValue<String, Long> row = rows.next();
                looked++;
                last = row.key;
                if (row.value != null && row.value < cutoff) {
                    old.add(row.key);
                }
            }
            eventsCursor = rows.hasNext() ? last : null;
        }
        old.forEach(events::delete);
        return old.size();
    }

    /** Writes what one step changed, in order. */
    void apply(ChangeBatch batch) {
        Map<String, UserEvent> causes = null;
        Map<String, CampaignCounts> touched = new HashMap<>();
        for (ChangeBatch.Change change : batch.changes()) {
            if (change instanceof ChangeBatch.EventKept kept) {
                UserEvent event = kept.event();
                seen.put(seenKey(batch.receivedAt(), ShardCore.fingerprint(event.getUserId(), event.getId())), new byte[0]);
                events.put(eventKey(event.getUserId(), event.getName(), event.getTime(), event.getId()), batch.receivedAt());
                if (causes == null) {
                    causes = new HashMap<>();
                }
                causes.put(event.getUserId() + SEP + event.getId(), event);
            } else if (change instanceof ChangeBatch.Enrolled enrolled) {
                Enrollment enrollment = enrolled.enrollment();
                active.put(activeKey(enrollment.getCampaignId(), enrollment.getUserId()), enrollment.getEnrolledAt());
                history.put(historyKey(enrollment.getUserId(), enrollment.getCampaignId(), enrollment.getEnrolledAt()),
                        historyEntry(enrollment.getCampaignId(), enrollment.getEnrolledAt(), enrolled.holdout(), null,
                                null));
                counts(touched, enrollment.getCampaignId()).addEnrollment(enrolled.holdout());
            } else if (change instanceof ChangeBatch.Exited exited) {
                Exit exit = exited.exit();
                String key = activeKey(exit.campaignId(), exit.userId());
                Long enrolledAt = active.get(key);
                active.delete(key);
                UserEvent cause = causes == null || exit.eventId() == null ? null
                        : causes.get(exit.userId() + SEP + exit.eventId());
                if (enrolledAt != null) {
                    history.put(historyKey(exit.userId(), exit.campaignId(), enrolledAt),
                            historyEntry(exit.campaignId(), enrolledAt, exit.holdout(), exit, cause));
                }
                counts(touched, exit.campaignId()).addExit(exit);
            } else if (change instanceof ChangeBatch.CampaignSaved saved) {
                campaigns.put(saved.campaign().id(), Wire.campaign(saved.campaign()));
            }
            // Events set aside are not state: they go to the dead-letter topic.
        }
        touched.forEach((campaignId, campaignCounts) -> counts.put(campaignId, campaignCounts.toJson()));
    }

    private CampaignCounts counts(Map<String, CampaignCounts> touched, String campaignId) {
        return touched.computeIfAbsent(campaignId, id -> CampaignCounts.fromJson(counts.get(id)));
    }

    static Bytes seenKey(long receivedAt, long fingerprint) {
        return Bytes.wrap(ByteBuffer.allocate(16).putLong(receivedAt).putLong(fingerprint).array());
    }

    static String activeKey(String campaignId, String userId) {
        return campaignId + SEP + userId;
    }

    static String historyKey(String userId, String campaignId, long enrolledAt) {
        return userId + SEP + campaignId + SEP + hex(enrolledAt);
    }

    static String eventKey(String userId, String name, long time, String eventId) {
        return userId + SEP + name + SEP + hex(time) + SEP + eventId;
    }

    /** Sorts as the time does for every time after 1970: 16 hex digits. */
    static String hex(long time) {
        String digits = Long.toHexString(time);
        return "0".repeat(16 - digits.length()) + digits;
    }

    static long unhex(String text) {
        return Long.parseUnsignedLong(text, 16);
    }

    /**
     * An enrollment as the per-user reads show it: its status and, once it ended, its exit (as the
     * exits topic carries it) with the name and time of the event that caused it.
     */
    private static byte[] historyEntry(String campaignId, long enrolledAt, boolean holdout, Exit exit,
                                       UserEvent cause) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("campaignId", campaignId)
                .put("status", exit == null ? EnrollmentState.ACTIVE
                        : exit.reason() == ExitReason.CONVERTED ? EnrollmentState.CONVERTED : EnrollmentState.EXITED)
                .put("enrolledAt", enrolledAt)
                .put("holdout", holdout);
        if (exit != null) {
            node.set("exit", Wire.exitTree(exit));
            if (cause != null) {
                node.put("eventName", cause.getName()).put("eventTime", cause.getTime());
            }
        }
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
    }
}
