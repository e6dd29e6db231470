package com.conversionrules.store;

import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQL for the event log: every event kept, a row per shard batch ({@link EventBatchCodec}) keyed by
 * the seq of its first event (seqs only grow, so each insert lands on the table's last page), and
 * beside each batch the fingerprints of its event ids in one blob, which is all a restart reads back
 * for dedupe.
 */
final class EventRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEY_BYTES = Long.BYTES + Integer.BYTES;

    private EventRecords() {
    }

    static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement(
                "INSERT INTO event_batches (first_seq, count, received_at, events) VALUES (?, ?, ?, ?)");
    }

    /** Stores the events of one batch, the first of which took {@code firstSeq}. */
    static void insert(PreparedStatement insert, long firstSeq, long receivedAt, EventBatchCodec.Encoder events)
            throws SQLException {
        insert.setLong(1, firstSeq);
        insert.setInt(2, events.count());
        insert.setLong(3, receivedAt);
        insert.setBytes(4, events.toBytes());
        insert.executeUpdate();
    }

    /**
     * Hands the events with seqs after {@code after} up to {@code until} to the sink, in seq order,
     * at most about {@code limit} (whole batches); returns the last seq it covered: {@code until}
     * once the log holds nothing more up to there.
     */
    static long forEachEvent(Connection connection, long after, long until, int limit, EventBatchCodec.EventSink sink)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT first_seq, count, events FROM event_batches
                WHERE first_seq >= coalesce((SELECT max(first_seq) FROM event_batches WHERE first_seq <= ?), 0)
                  AND first_seq <= ? ORDER BY first_seq""")) {
            select.setLong(1, after + 1);
            select.setLong(2, until);
            int handed = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long firstSeq = rows.getLong(1);
                    long lastSeq = firstSeq + rows.getInt(2) - 1;
                    if (handed >= limit) {
                        return firstSeq - 1;
                    }
                    if (lastSeq <= after) {
                        continue;
                    }
                    int[] inRange = {0};
                    EventBatchCodec.decode(firstSeq, rows.getBytes(3),
                            (seq, userId, id, name, time, campaignId, properties) -> {
                                if (seq > after && seq <= until) {
                                    sink.event(seq, userId, id, name, time, campaignId, properties);
                                    inRange[0]++;
                                }
                            });
                    handed += inRange[0];
                }
            }
            return until;
        }
    }

    static PreparedStatement prepareKeys(Connection connection) throws SQLException {
        return connection.prepareStatement("INSERT INTO event_keys (first_seq, received_at, keys) VALUES (?, ?, ?)");
    }

    /**
     * The fingerprints ({@link EventKey}) of the ids of events from {@code firstSeq} on, received at
     * {@code receivedAt}, each followed by its user id's hash code: 12 bytes an event.
     */
    static void insertKeys(PreparedStatement insert, long firstSeq, long receivedAt, LongArrayList keys,
                           IntArrayList userHashes) throws SQLException {
        ByteBuffer blob = ByteBuffer.allocate(keys.size() * KEY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < keys.size(); i++) {
            blob.putLong(keys.getLong(i)).putInt(userHashes.getInt(i));
        }
        insert.setLong(1, firstSeq);
        insert.setLong(2, receivedAt);
        insert.setBytes(3, blob.array());
        insert.executeUpdate();
    }

    /** Every event id fingerprint received since {@code since}: the blobs only, for start-up and recovery. */
    static void forEachKeySince(Connection connection, long since, EngineStore.EventKeySink sink) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT received_at, keys FROM event_keys WHERE received_at >= ?")) {
            select.setLong(1, since);
            select.setFetchSize(1_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long receivedAt = rows.getLong(1);
                    ByteBuffer keys = ByteBuffer.wrap(rows.getBytes(2)).order(ByteOrder.LITTLE_ENDIAN);
                    while (keys.remaining() >= KEY_BYTES) {
                        sink.seen(keys.getLong(), keys.getInt(), receivedAt);
                    }
                }
            }
        }
    }

    /**
     * Drops the events received before {@code cutoff}, whole batches at a time: by seq ranges, the
     * cheapest delete a rowid table has. Returns how many events went.
     */
    static int dropBefore(Connection connection, long cutoff) throws SQLException {
        long firstKept;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT coalesce(min(first_seq), ?) FROM event_keys WHERE received_at >= ?")) {
            select.setLong(1, lastSeq(connection) + 1);
            select.setLong(2, cutoff);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                firstKept = rows.getLong(1);
            }
        }
        try (PreparedStatement count = connection.prepareStatement(
                     "SELECT coalesce(sum(count), 0) FROM event_batches WHERE first_seq < ?");
             PreparedStatement events = connection.prepareStatement("DELETE FROM event_batches WHERE first_seq < ?");
             PreparedStatement keys = connection.prepareStatement("DELETE FROM event_keys WHERE first_seq < ?")) {
            count.setLong(1, firstKept);
            events.setLong(1, firstKept);
            keys.setLong(1, firstKept);
            int dropped;
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                dropped = rows.getInt(1);
            }
            events.executeUpdate();
            keys.executeUpdate();
            return dropped;
        }
    }

    /** The first seq the log holds; {@code whenEmpty} when it holds none. */
    static long firstSeq(Connection connection, long whenEmpty) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT min(first_seq) FROM event_batches");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            long first = rows.getLong(1);
            return rows.wasNull() ? whenEmpty : first;
        }
    }

    /** The last seq the log holds, 0 when empty. */
    static long lastSeq(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT first_seq + count - 1 FROM event_batches ORDER BY first_seq DESC LIMIT 1");
             ResultSet rows = select.executeQuery()) {
            return rows.next() ? rows.getLong(1) : 0;
        }
    }

    /** The properties as received when the event came over the API, else written from the map. */
    static String propertiesJson(UserEvent event) throws SQLException {
        if (event.propertiesJson() != null) {
            return event.propertiesJson();
        }
        if (event.getProperties().isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(event.getProperties());
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot store the properties of event " + event.getId(), e);
        }
    }
}
