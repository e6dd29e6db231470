package com.conversionrules.store;

import com.conversionrules.model.UserEvent;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the events of a data directory written by an older version into the event log of batches,
 * once, at start. Two older layouts: events in a table keyed by user and id (before the log; their
 * keys are written for dedupe, and each exit gets the name and time of its event), and a log of one
 * row per event. One transaction: a crash in the middle leaves the old table, and the next start does
 * it again.
 */
final class EventLogMigration {
    private static final Logger LOG = LoggerFactory.getLogger(EventLogMigration.class);
    private static final int EVENTS_PER_BATCH = 10_000;

    private EventLogMigration() {
    }

    static void migrate(Connection connection) throws SQLException {
        boolean keyedTable = tableExists(connection, "events");
        boolean rowPerEvent = tableExists(connection, "event_log");
        if (!keyedTable && !rowPerEvent) {
            return;
        }
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            long moved;
            if (keyedTable) {
                statement.executeUpdate("""
                        UPDATE exits SET event_name = (SELECT name FROM events ev WHERE ev.user_id = exits.user_id
                                                       AND ev.id = exits.event_id),
                                         event_time = (SELECT time FROM events ev WHERE ev.user_id = exits.user_id
                                                       AND ev.id = exits.event_id)
                        WHERE event_id IS NOT NULL AND event_name IS NULL""");
                moved = fromKeyedTable(connection);
                statement.execute("DROP TABLE events");
            } else {
                moved = fromRowPerEvent(connection);
                statement.execute("DROP TABLE event_log");
            }
            connection.commit();
            LOG.info("Moved {} stored events to the event log in {} ms (a one-time change of this data directory)",
                    moved, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Events keyed by user and id, in the order received: seqs from 1, and their dedupe keys beside each batch. */
    private static long fromKeyedTable(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT user_id, id, name, time, campaign_id, properties, received_at
                FROM events ORDER BY received_at""");
             ResultSet rows = select.executeQuery();
             BatchWriter batches = new BatchWriter(connection, true)) {
            long seq = 0;
            while (rows.next()) {
                batches.add(++seq, rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4),
                        rows.getString(5), rows.getString(6), rows.getLong(7));
            }
            return seq;
        }
    }

    /**
     * A row per event: their seqs stay, and so do the dedupe keys of each batch; a new batch starts at
     * each of those batches' first seq, so retention, which drops whole key batches, drops whole event batches.
     */
    private static long fromRowPerEvent(Connection connection) throws SQLException {
        LongArrayList keyBatchStarts = new LongArrayList();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT first_seq FROM event_keys ORDER BY first_seq");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                keyBatchStarts.add(rows.getLong(1));
            }
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT seq, user_id, id, name, time, campaign_id, properties, received_at
                FROM event_log ORDER BY seq""");
             ResultSet rows = select.executeQuery();
             BatchWriter batches = new BatchWriter(connection, false)) {
            long moved = 0;
            int nextStart = 0;
            while (rows.next()) {
                long seq = rows.getLong(1);
                while (nextStart < keyBatchStarts.size() && keyBatchStarts.getLong(nextStart) <= seq) {
                    if (keyBatchStarts.getLong(nextStart) == seq) {
                        batches.flush();
                    }
                    nextStart++;
                }
                batches.add(seq, rows.getString(2), rows.getString(3), rows.getString(4), rows.getLong(5),
                        rows.getString(6), rows.getString(7), rows.getLong(8));
                moved++;
            }
            return moved;
        }
    }

    /** Writes events as batches of consecutive seqs, with their dedupe keys when asked. */
    private static final class BatchWriter implements AutoCloseable {
        private final PreparedStatement insertBatch;
        private final PreparedStatement insertKeys;
        private EventBatchCodec.Encoder events = new EventBatchCodec.Encoder();
        private final LongArrayList keys = new LongArrayList();
        private final IntArrayList userHashes = new IntArrayList();
        private long firstSeq;
        private long lastSeq;
        private long receivedAt;

        BatchWriter(Connection connection, boolean withKeys) throws SQLException {
            this.insertBatch = EventRecords.prepareInsert(connection);
            this.insertKeys = withKeys ? EventRecords.prepareKeys(connection) : null;
        }

        void add(long seq, String userId, String id, String name, long time, String campaignId, String properties,
                 long eventReceivedAt) throws SQLException {
            if (!events.isEmpty() && (seq != lastSeq + 1 || events.count() == EVENTS_PER_BATCH)) {
                flush();
            }
            if (events.isEmpty()) {
                firstSeq = seq;
            }
            lastSeq = seq;
            // The batch's time is its latest event's: retention keeps the whole batch while any of it is young.
            receivedAt = Math.max(receivedAt, eventReceivedAt);
            events.add(new UserEvent(id, userId, name, time, campaignId, Map.of(), properties, 0));
            if (insertKeys != null) {
                keys.add(EventKey.of(userId, id));
                userHashes.add(userId.hashCode());
            }
        }

        void flush() throws SQLException {
            if (events.isEmpty()) {
                return;
            }
            EventRecords.insert(insertBatch, firstSeq, receivedAt, events);
            if (insertKeys != null) {
                EventRecords.insertKeys(insertKeys, firstSeq, receivedAt, keys, userHashes);
            }
            events = new EventBatchCodec.Encoder();
            keys.clear();
            userHashes.clear();
            receivedAt = 0;
        }

        @Override
        public void close() throws SQLException {
            flush();
            insertBatch.close();
            if (insertKeys != null) {
                insertKeys.close();
            }
        }
    }

    private static boolean tableExists(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }
}
