package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.ConversionWindow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a database made by an older version adds the columns it lacks and keeps its rows. */
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
        new Database(dataDir); // a second open finds the column and leaves it
    }
}
