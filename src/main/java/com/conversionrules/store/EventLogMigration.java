package com.conversionrules.store;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a data directory written before the event log (events in a table keyed by user and id) to
 * it, once, at start: events appended in the order they were received, their keys written for
 * dedupe, and the name and time of each exit's event copied onto the exit. One transaction: a crash
 * in the middle leaves the old table, and the next start does it again.
 */
final class EventLogMigration {
    private static final Logger LOG = LoggerFactory.getLogger(EventLogMigration.class);
    private static final int KEYS_PER_ROW = 10_000;

    private EventLogMigration() {
    }

    static void migrate(Connection connection) throws SQLException {
        if (!tableExists(connection, "events")) {
            return;
        }
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("""
                    UPDATE exits SET event_name = (SELECT name FROM events ev WHERE ev.user_id = exits.user_id
                                                   AND ev.id = exits.event_id),
                                     event_time = (SELECT time FROM events ev WHERE ev.user_id = exits.user_id
                                                   AND ev.id = exits.event_id)
                    WHERE event_id IS NOT NULL AND event_name IS NULL""");
            int moved = statement.executeUpdate("""
                    INSERT INTO event_log (user_id, id, name, time, campaign_id, properties, received_at)
                    SELECT user_id, id, name, time, campaign_id, properties, received_at FROM events
                    ORDER BY received_at""");
            writeKeys(connection);
            statement.execute("DROP TABLE events");
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

    private static void writeKeys(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq, user_id, id, received_at FROM event_log ORDER BY seq");
             PreparedStatement insert = EventRecords.prepareKeys(connection);
             ResultSet rows = select.executeQuery()) {
            LongArrayList keys = new LongArrayList();
            IntArrayList userHashes = new IntArrayList();
            long firstSeq = 0;
            long receivedAt = 0;
            while (rows.next()) {
                if (keys.isEmpty()) {
                    firstSeq = rows.getLong(1);
                }
                // The row's time is its latest event's: a restart keeps the whole row while any of it is in the window.
                receivedAt = Math.max(receivedAt, rows.getLong(4));
                String userId = rows.getString(2);
                keys.add(EventKey.of(userId, rows.getString(3)));
                userHashes.add(userId.hashCode());
                if (keys.size() == KEYS_PER_ROW) {
                    EventRecords.insertKeys(insert, firstSeq, receivedAt, keys, userHashes);
                    keys.clear();
                    userHashes.clear();
                    receivedAt = 0;
                }
            }
            if (!keys.isEmpty()) {
                EventRecords.insertKeys(insert, firstSeq, receivedAt, keys, userHashes);
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
