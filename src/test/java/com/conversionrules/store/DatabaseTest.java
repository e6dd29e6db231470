package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.ConversionWindow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a database made by an older version adds the columns it lacks and keeps its rows; every
 * connection the store commits on syncs each commit to disk.
 */
class DatabaseTest {
    @TempDir
    Path dataDir;

    @Test
    void aCampaignsTableWithoutConversionWindowGetsTheColumn() throws Exception {
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("conversion-rules.db"));
             Statement statement = old.createStatement()) {
            statement.execute("""
                    CREATE TABLE campaigns (id TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
                    conversion_event TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL,
                    launched_at INTEGER, ended_at INTEGER)""");
            statement.execute("INSERT INTO campaigns VALUES ('old', 'Old', 'multi_touch', 'placed_order', 'live', 1, 2, NULL)");
        }

        Database database = new Database(dataDir);
        try (Connection connection = database.open()) {
            List<Campaign> campaigns = CampaignRecords.all(connection);
            assertEquals(1, campaigns.size());
            assertNull(campaigns.get(0).conversionWindow());

            CampaignRecords.update(connection, campaigns.get(0).withConversionWindow(ConversionWindow.parse("P3D")));
            assertEquals("P3D", CampaignRecords.all(connection).get(0).conversionWindow().toString());
        }

        // A second open finds the column, adds no other and keeps what the first one wrote.
        try (Connection connection = new Database(dataDir).open()) {
            assertEquals("P3D", CampaignRecords.all(connection).get(0).conversionWindow().toString());
            assertEquals(1, columns(connection, "campaigns").stream().filter("conversion_window"::equals).count());
        }
    }

    /**
     * What makes an acknowledged change survive a power cut, not only a crash: the store's writer
     * commits in WAL mode with {@code synchronous=FULL} (2), which syncs the log at every commit.
     * A kill -9 keeps the OS page cache, so the crash test cannot tell this from no sync at all.
     */
    @Test
    void theWriterSyncsEveryCommitToDisk() throws Exception {
        try (Store store = new Store(dataDir)) {
            AtomicReference<String> settings = new AtomicReference<>();
            store.write(connection -> settings.set(pragma(connection, "synchronous") + " "
                    + pragma(connection, "journal_mode"))).join();
            assertEquals("2 wal", settings.get(), "synchronous=FULL and journal_mode=WAL on the writer");
        }
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        }
    }

    private static List<String> columns(Connection connection, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rows.next()) {
                names.add(rows.getString("name"));
            }
        }
        return names;
    }
}
