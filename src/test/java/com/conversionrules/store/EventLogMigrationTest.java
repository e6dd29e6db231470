package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written before the event log (events keyed by user and id) is moved to it at
 * start: the events, in the order received, their keys for dedupe, and each exit's event.
 */
class EventLogMigrationTest {
    @TempDir
    Path dir;

    @Test
    void eventsOfTheOldTableMoveToTheLogWithTheirKeysAndExitsKeepTheirEvent() throws Exception {
        new Database(dir);
        try (Connection connection = new Database(dir).open(); Statement statement = connection.createStatement()) {
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
                try (ResultSet rows = statement.executeQuery("SELECT user_id, id FROM event_log ORDER BY seq")) {
                    rows.next();
                    assertEquals("ann", rows.getString(1), "in the order received");
                    rows.next();
                    assertEquals("bob", rows.getString(1));
                    assertFalse(rows.next());
                }
                try (ResultSet rows = statement.executeQuery("SELECT event_name, event_time FROM exits WHERE id = 'x1'")) {
                    rows.next();
                    assertEquals("Placed Order", rows.getString(1));
                    assertEquals(200, rows.getLong(2));
                }
                try (ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'")) {
                    rows.next();
                    assertEquals(0, rows.getInt(1), "the old table is gone");
                }
            }
            LongArrayList keys = new LongArrayList();
            store.recentEventKeys(0, (key, userHash, receivedAt) -> keys.add(key)).join();
            assertEquals(2, keys.size());
            assertEquals(EventKey.of("ann", "o1"), keys.getLong(0));
            assertEquals(new Performed(1, 200L), store.performed("ann", "Placed Order", 0).join());
        }
    }
}
