package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by an older version has its events moved to the log of batches at start:
 * from before the log (events keyed by user and id: in the order received, with their keys for
 * dedupe, and each exit's event), and from a log of a row per event.
 */
class EventLogMigrationTest {
    @TempDir
    Path dir;

    /** A store of today's schema, to which a test adds the tables of an older version. */
    private Connection currentStore() throws IOException, SQLException {
        new Database(dir);
        return new Database(dir).open();
    }

    private static void assertGone(Statement statement, String table) throws SQLException {
        try (ResultSet rows = statement.executeQuery(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            rows.next();
            assertEquals(0, rows.getInt(1), "the old table " + table + " is gone");
        }
    }

    @Test
    void eventsOfTheOldTableMoveToTheLogWithTheirKeysAndExitsKeepTheirEvent() throws Exception {
        try (Connection connection = currentStore(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE events (user_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
                        time INTEGER NOT NULL, campaign_id TEXT, properties TEXT, received_at INTEGER NOT NULL,
                        PRIMARY KEY (user_id, id)) WITHOUT ROWID""");
            statement.execute("INSERT INTO events VALUES ('bob', 'v1', 'Viewed Product', 100, NULL, NULL, 2000)");
            statement.execute("INSERT INTO events VALUES ('ann', 'o1', 'Placed Order', 200, NULL, '{\"value\":5}', 1000)");
            statement.execute("""
                    INSERT INTO exits (id, campaign_id, user_id, reason, conversion_event, event_id, value, exited_at)
                    VALUES ('x1', 'shop', 'ann', 'converted', 'placed_order', 'o1', 5, 3000)""");
        }

        try (Store store = new Store(dir)) {
            try (Connection connection = new Database(dir).open(); Statement statement = connection.createStatement()) {
                assertEquals(List.of("1 ann o1 Placed Order 200 {\"value\":5}", "2 bob v1 Viewed Product 100 null"),
                        logged(connection), "in the order received");
                try (ResultSet rows = statement.executeQuery("SELECT event_name, event_time FROM exits WHERE id = 'x1'")) {
                    rows.next();
                    assertEquals("Placed Order", rows.getString(1));
                    assertEquals(200, rows.getLong(2));
                }
                assertGone(statement, "events");
            }
            LongArrayList keys = new LongArrayList();
            store.recentEventKeys(0, (key, userHash, receivedAt) -> keys.add(key)).join();
            assertEquals(2, keys.size());
            assertEquals(EventKey.of("ann", "o1"), keys.getLong(0));
            assertEquals(new Performed(1, 200L), store.performed("ann", "Placed Order", 0).join());
        }
    }

    /** A data directory whose log has a row per event: its events become batches, seqs and dedupe keys kept. */
    @Test
    void aLogOfARowPerEventBecomesBatchesAlignedWithTheKeys() throws Exception {
        try (Connection connection = currentStore(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE event_log (seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL, id TEXT NOT NULL,
                        name TEXT NOT NULL, time INTEGER NOT NULL, campaign_id TEXT, properties TEXT,
                        received_at INTEGER NOT NULL)""");
            statement.execute("INSERT INTO event_log VALUES (1, 'ann', 'o1', 'Placed Order', 100, 'shop', '{\"value\":5}', 1000)");
            statement.execute("INSERT INTO event_log VALUES (2, 'bob', 'v1', 'Viewed Product', 110, NULL, NULL, 1000)");
            statement.execute("INSERT INTO event_log VALUES (3, 'ann', 'o2', 'Placed Order', 300, NULL, NULL, 5000)");
            try (PreparedStatement keys = EventRecords.prepareKeys(connection)) {
                EventRecords.insertKeys(keys, 1, 1000, LongArrayList.of(EventKey.of("ann", "o1"), EventKey.of("bob", "v1")),
                        IntArrayList.of("ann".hashCode(), "bob".hashCode()));
                EventRecords.insertKeys(keys, 3, 5000, LongArrayList.of(EventKey.of("ann", "o2")),
                        IntArrayList.of("ann".hashCode()));
            }
        }

        try (Store store = new Store(dir)) {
            try (Connection connection = new Database(dir).open(); Statement statement = connection.createStatement()) {
                assertEquals(List.of("1 ann o1 Placed Order 100 {\"value\":5}", "2 bob v1 Viewed Product 110 null",
                        "3 ann o2 Placed Order 300 null"), logged(connection));
                try (ResultSet rows = statement.executeQuery("SELECT first_seq FROM event_batches ORDER BY first_seq")) {
                    List<Long> starts = new ArrayList<>();
                    while (rows.next()) {
                        starts.add(rows.getLong(1));
                    }
                    assertEquals(List.of(1L, 3L), starts, "a batch starts where a batch of keys does");
                }
                assertGone(statement, "event_log");
            }
            assertEquals(new Performed(2, 300L), store.performed("ann", "Placed Order", 0).join());
            assertEquals(2, store.dropEventsBefore(2_000).join(), "the first batch goes whole");
            assertEquals(new Performed(1, 300L), store.performed("ann", "Placed Order", 0).join());
        }
    }

    private static List<String> logged(Connection connection) throws SQLException {
        List<String> events = new ArrayList<>();
        EventRecords.forEachEvent(connection, 0, Long.MAX_VALUE, Integer.MAX_VALUE,
                (seq, userId, id, name, time, campaignId, properties) ->
                        events.add(seq + " " + userId + " " + id + " " + name + " " + time + " " + properties));
        return events;
    }
}
