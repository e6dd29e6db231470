package com.conversionrules.bench.storage;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The baseline: the write path before issue 10. The tables the hot path touches are a frozen copy
 * of {@code store.Database}'s schema (events keyed by user and id, enrollments with their three
 * indexes, exits with their unique id and the trigger that fans each out to a delivery row), so
 * this stays "before" while issue 10 replaces it. Per event the shard probes the events B-tree for
 * its key and the writer inserts into it; statements are prepared per shard batch, as
 * {@code ShardWrites} did.
 *
 * <p>Without {@code probe} it is main as of the in-memory dedupe (SeenEvents): the same writes, the
 * dedupe set in memory, rebuilt at restart by scanning the events table and hashing each key.
 */
final class SqliteToday implements Candidate {
    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS enrollments (
            seq INTEGER PRIMARY KEY, campaign_id TEXT NOT NULL, user_id TEXT NOT NULL,
            enrolled_at INTEGER NOT NULL, status TEXT NOT NULL, exit_id TEXT)""",
        "CREATE INDEX IF NOT EXISTS enrollments_by_user ON enrollments (campaign_id, user_id, seq)",
        "CREATE INDEX IF NOT EXISTS enrollments_by_status ON enrollments (campaign_id, status)",
        "CREATE INDEX IF NOT EXISTS enrollments_active ON enrollments (status) WHERE status = 'active'",
        """
        CREATE TABLE IF NOT EXISTS events (
            user_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, time INTEGER NOT NULL,
            campaign_id TEXT, properties TEXT, received_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, id)) WITHOUT ROWID""",
        """
        CREATE TABLE IF NOT EXISTS exits (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, campaign_id TEXT NOT NULL, user_id TEXT NOT NULL,
            reason TEXT NOT NULL, conversion_event TEXT, event_id TEXT, value REAL NOT NULL DEFAULT 0,
            rule TEXT, rule_file TEXT, rules_version TEXT, exited_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0,
            last_status INTEGER, last_error TEXT, delivered_at INTEGER)""",
        "CREATE INDEX IF NOT EXISTS exits_by_campaign ON exits (campaign_id, reason)",
        """
        CREATE TABLE IF NOT EXISTS webhook_endpoints (
            name TEXT PRIMARY KEY, url TEXT NOT NULL, configured INTEGER NOT NULL DEFAULT 0,
            disabled_at INTEGER, disabled_reason TEXT)""",
        """
        CREATE TABLE IF NOT EXISTS deliveries (
            seq INTEGER PRIMARY KEY, exit_id TEXT NOT NULL, endpoint TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, first_attempt_at INTEGER, next_attempt_at INTEGER NOT NULL DEFAULT 0,
            last_status INTEGER, last_error TEXT, delivered_at INTEGER, gave_up_at INTEGER,
            UNIQUE (exit_id, endpoint))""",
        """
        CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at)
            WHERE delivered_at IS NULL AND gave_up_at IS NULL""",
        """
        CREATE INDEX IF NOT EXISTS deliveries_retry ON deliveries (next_attempt_at)
            WHERE attempts > 0 AND delivered_at IS NULL AND gave_up_at IS NULL""",
        """
        CREATE TRIGGER IF NOT EXISTS exits_fan_out AFTER INSERT ON exits BEGIN
            INSERT INTO deliveries (exit_id, endpoint) SELECT NEW.id, name FROM webhook_endpoints WHERE configured = 1;
        END""",
        "INSERT OR IGNORE INTO webhook_endpoints (name, url, configured) VALUES ('default', 'http://127.0.0.1:9/exits', 1)",
    };

    private final Connection writer;
    /** The shard's own connection: its dedupe probe sees what is committed. */
    private final Connection shard;
    private final PreparedStatement seenBefore;
    /** Keys of the commit being built, which the probe cannot see yet (the shard's in-flight set). */
    private final Set<String> inFlight = new HashSet<>();
    private final boolean probe;
    private final LongOpenHashSet dedupe = new LongOpenHashSet();

    SqliteToday(Path dir, boolean probe) throws SQLException {
        this.probe = probe;
        Path file = dir.resolve("today.db");
        writer = SqliteFiles.open(file, true);
        SqliteFiles.execute(writer, SCHEMA);
        writer.setAutoCommit(false);
        shard = SqliteFiles.open(file, true);
        seenBefore = shard.prepareStatement("SELECT 1 FROM events WHERE user_id = ? AND id = ?");
    }

    @Override
    public boolean duplicate(StoredEvent event) throws SQLException {
        if (!probe) {
            return !dedupe.add(event.fingerprint());
        }
        String key = event.userId() + '\u0000' + event.eventId();
        if (inFlight.contains(key)) {
            return true;
        }
        seenBefore.setString(1, event.userId());
        seenBefore.setString(2, event.eventId());
        try (ResultSet rows = seenBefore.executeQuery()) {
            if (rows.next()) {
                return true;
            }
        }
        inFlight.add(key);
        return false;
    }

    @Override
    public void write(ShardBatch batch) throws SQLException {
        try (PreparedStatement insertEvent = writer.prepareStatement("""
                INSERT INTO events (user_id, id, name, time, campaign_id, properties, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement insertEnrollment = writer.prepareStatement(
                "INSERT INTO enrollments (campaign_id, user_id, enrolled_at, status) VALUES (?, ?, ?, 'active')");
             PreparedStatement exitEnrollment = writer.prepareStatement("""
                UPDATE enrollments INDEXED BY enrollments_by_user SET status = ?, exit_id = ?
                WHERE campaign_id = ? AND user_id = ? AND status = 'active'""");
             PreparedStatement insertExit = writer.prepareStatement("""
                INSERT INTO exits (id, campaign_id, user_id, reason, conversion_event, event_id, value, rule, rule_file,
                rules_version, exited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (StoredEvent event : batch.events()) {
                insertEvent.setString(1, event.userId());
                insertEvent.setString(2, event.eventId());
                insertEvent.setString(3, event.name());
                insertEvent.setLong(4, event.time());
                setNullable(insertEvent, 5, event.campaignId());
                setNullable(insertEvent, 6, event.properties());
                insertEvent.setLong(7, event.receivedAt());
                insertEvent.executeUpdate();
            }
            for (StoredExit exit : batch.exits()) {
                exitEnrollment.setString(1, "converted");
                exitEnrollment.setString(2, exit.id());
                exitEnrollment.setString(3, exit.campaignId());
                exitEnrollment.setString(4, exit.userId());
                if (exitEnrollment.executeUpdate() != 1) {
                    throw new IllegalStateException("no active enrollment for exit " + exit);
                }
                insertExit.setString(1, exit.id());
                insertExit.setString(2, exit.campaignId());
                insertExit.setString(3, exit.userId());
                insertExit.setString(4, exit.reason());
                setNullable(insertExit, 5, exit.conversionEvent());
                setNullable(insertExit, 6, exit.eventId());
                insertExit.setDouble(7, exit.value());
                setNullable(insertExit, 8, exit.rule());
                setNullable(insertExit, 9, exit.ruleFile());
                setNullable(insertExit, 10, exit.rulesVersion());
                insertExit.setLong(11, exit.exitedAt());
                insertExit.executeUpdate();
            }
            insertEnrollment.clearParameters(); // prepared per batch like ShardWrites, unused by events
        }
    }

    @Override
    public void commit() throws SQLException {
        writer.commit();
        inFlight.clear();
    }

    @Override
    public void enroll(List<StoredEnrollment> chunk) throws SQLException {
        try (PreparedStatement insert = writer.prepareStatement(
                "INSERT INTO enrollments (campaign_id, user_id, enrolled_at, status) VALUES (?, ?, ?, 'active')")) {
            for (StoredEnrollment enrollment : chunk) {
                insert.setString(1, enrollment.campaignId());
                insert.setString(2, enrollment.userId());
                insert.setLong(3, enrollment.enrolledAt());
                insert.executeUpdate();
            }
        }
        writer.commit();
    }

    @Override
    public void catchUp() {
        // Nothing is deferred: every index is written on the hot path.
    }

    @Override
    public long rebuildDedupe(long since) throws SQLException {
        if (probe) {
            return 0; // no in-memory set: every event probes the disk
        }
        try (PreparedStatement select = shard.prepareStatement(
                "SELECT user_id, id FROM events WHERE received_at >= ?")) {
            select.setLong(1, since);
            select.setFetchSize(10_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    dedupe.add(Fingerprints.of(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return dedupe.size();
    }

    @Override
    public void readActive(Consumer<StoredEnrollment> consumer) throws SQLException {
        try (PreparedStatement select = shard.prepareStatement(
                "SELECT campaign_id, user_id, enrolled_at FROM enrollments WHERE status = 'active'")) {
            select.setFetchSize(10_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    consumer.accept(new StoredEnrollment(rows.getString(1), rows.getString(2), rows.getLong(3)));
                }
            }
        }
    }

    @Override
    public Performed performed(String userId, String name, long since) throws SQLException {
        try (PreparedStatement select = shard.prepareStatement(
                "SELECT count(*), max(time) FROM events WHERE user_id = ? AND name = ? AND time >= ?")) {
            select.setString(1, userId);
            select.setString(2, name);
            select.setLong(3, since);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long count = rows.getLong(1);
                return count == 0 ? Performed.NONE : new Performed(count, rows.getLong(2));
            }
        }
    }

    @Override
    public void close() throws SQLException {
        seenBefore.close();
        shard.close();
        writer.commit();
        writer.close();
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
