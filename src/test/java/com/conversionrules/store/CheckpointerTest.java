package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.UserEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
    private static final String TABLE = "checkpointer_test";

    @TempDir
    Path dir;

    @Test
    void copiesWhatIsCommittedWhileTheWriterKeepsItsConnection() throws Exception {
        Database database = new Database(dir);
        Checkpointer checkpointer = new Checkpointer(database);
        try (Connection writer = database.open()) {
            writer.setAutoCommit(false);
            writeRows(writer, 500, 20_000);

            Checkpointer.Outcome outcome = checkpointer.checkpointOnce();
            assertFalse(outcome.busy(), outcome.toString());
            assertTrue(outcome.logFrames() > 500, "the commits were in the log: " + outcome);
            assertEquals(outcome.logFrames(), outcome.copiedFrames(), "every frame copied: " + outcome);

            // The writer goes on in the same transaction mode; a second pass copies what it added.
            writeRows(writer, 10, 20_000);
            Checkpointer.Outcome next = checkpointer.checkpointOnce();
            assertEquals(next.logFrames(), next.copiedFrames(), next.toString());
        } finally {
            checkpointer.close();
        }
        try (Connection reader = database.open(); Statement statement = reader.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
            count.next();
            assertEquals(510, count.getInt(1), "nothing committed was lost");
        }
    }

    /** The store runs a checkpointer: its log reaches the database file long before the writer's own 64 MB checkpoint. */
    @Test
    void aRunningStoreCopiesItsLogIntoTheDatabaseFile() throws Exception {
        try (Store store = new Store(dir)) {
            Path file = dir.resolve("conversion-rules.db");
            long before = Files.size(file);
            for (int commit = 0; commit < 5; commit++) {
                ChangeBatch batch = new ChangeBatch(System.currentTimeMillis());
                for (int i = 0; i < 10_000; i++) {
                    batch.event(new UserEvent("e-" + commit + "-" + i, "user-" + i, "Placed Order", i, null, Map.of(), 0));
                }
                store.commit(batch, store.epoch()).join();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.size(file) < before + 1_000_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.size(file) >= before + 1_000_000, "the database file grew from " + before + " to "
                    + Files.size(file) + " bytes");
        }
    }

    /** {@code commits} commits of one row of {@code bytes} random bytes each. */
    private static void writeRows(Connection writer, int commits, int bytes) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (payload BLOB)");
        }
        writer.commit();
        try (PreparedStatement insert = writer.prepareStatement("INSERT INTO " + TABLE + " VALUES (randomblob(?))")) {
            for (int i = 0; i < commits; i++) {
                insert.setInt(1, bytes);
                insert.executeUpdate();
                writer.commit();
            }
        }
    }
}
