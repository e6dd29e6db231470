package com.conversionrules.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file under the data directory. WAL lets readers run beside the single writer, and
 * {@code synchronous=FULL} syncs the log at every commit, so a commit survives a power cut too.
 */
public final class Database {
    private static final String FILE_NAME = "conversion-rules.db";
    /** Page cache per connection; the working set of the indexes stays in memory. */
    private static final int CACHE_KIB = 256 * 1024;
    private static final long MMAP_BYTES = 1L << 30;

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS campaigns (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            conversion_event TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            launched_at INTEGER,
            ended_at INTEGER,
            conversion_window TEXT,
            conversion_events TEXT,
            reentry TEXT,
            holdout_percent INTEGER NOT NULL DEFAULT 0)
        """,
        // One row per enrollment; a user who comes back after leaving gets a new row.
        """
        CREATE TABLE IF NOT EXISTS enrollments (
            seq INTEGER PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            enrolled_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            exit_id TEXT,
            holdout INTEGER NOT NULL DEFAULT 0)
        """,
        "CREATE INDEX IF NOT EXISTS enrollments_by_user ON enrollments (campaign_id, user_id, seq)",
        "CREATE INDEX IF NOT EXISTS enrollments_by_status ON enrollments (campaign_id, status)",
        "CREATE INDEX IF NOT EXISTS enrollments_active ON enrollments (status) WHERE status = 'active'",
        // Every event kept, appended in the order the store took them: a row per shard batch
        // (EventBatchCodec) keyed by its first event's seq, which only grows, so an insert lands on
        // the table's last page, with no index to update. Dedupe reads event_keys at start;
        // performed-event queries read an index of their own (PerformedIndex, in RocksDB).
        """
        CREATE TABLE IF NOT EXISTS event_batches (
            first_seq INTEGER PRIMARY KEY,
            count INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            events BLOB NOT NULL)
        """,
        // Per shard batch, the fingerprints of its event ids and their users' hashes (EventRecords).
        """
        CREATE TABLE IF NOT EXISTS event_keys (
            first_seq INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            keys BLOB NOT NULL)
        """,
        // The exits are the outbox. Their delivery columns predate per-endpoint delivery (deliveries
        // below) and are kept only so exits delivered before the upgrade are not sent again.
        """
        CREATE TABLE IF NOT EXISTS exits (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            campaign_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            conversion_event TEXT,
            event_id TEXT,
            value REAL NOT NULL DEFAULT 0,
            rule TEXT,
            rule_file TEXT,
            rules_version TEXT,
            exited_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            last_status INTEGER,
            last_error TEXT,
            delivered_at INTEGER,
            holdout INTEGER NOT NULL DEFAULT 0)
        """,
        "DROP INDEX IF EXISTS exits_undelivered",
        // A campaign's revenue, its conversions over time and its latest exits of each reason, each one
        // range of this index. It replaces (campaign_id, reason): built once when an older store opens.
        "CREATE INDEX IF NOT EXISTS exits_by_campaign_time ON exits (campaign_id, reason, exited_at)",
        "DROP INDEX IF EXISTS exits_by_campaign",
        // Events a rule failed on, set aside with the reason: the operator's dead letters. Not events:
        // the dedupe check does not see them, so they are evaluated again when sent again.
        """
        CREATE TABLE IF NOT EXISTS failed_events (
            seq INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            name TEXT NOT NULL,
            time INTEGER NOT NULL,
            campaign_id TEXT,
            properties TEXT,
            rule TEXT,
            rule_file TEXT,
            rules_version TEXT,
            reason TEXT NOT NULL,
            failed_at INTEGER NOT NULL)
        """,
        StoreProbe.TABLE,
        HistoryRecords.TABLE,
        // The sender endpoints of the last start (configured = 1), and those a 410 Gone disabled.
        """
        CREATE TABLE IF NOT EXISTS webhook_endpoints (
            name TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            configured INTEGER NOT NULL DEFAULT 0,
            disabled_at INTEGER,
            disabled_reason TEXT)
        """,
        // One row per exit per endpoint; the rowid keeps the order exits were stored in.
        """
        CREATE TABLE IF NOT EXISTS deliveries (
            seq INTEGER PRIMARY KEY,
            exit_id TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            first_attempt_at INTEGER,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            last_status INTEGER,
            last_error TEXT,
            delivered_at INTEGER,
            gave_up_at INTEGER,
            UNIQUE (exit_id, endpoint))
        """,
        // Deliveries still waiting, per endpoint: counted for its backlog, and read in the order they
        // were stored (attempts = 0) when the sender recovers. It replaces deliveries_due (next_attempt_at).
        "DROP INDEX IF EXISTS deliveries_due",
        """
        CREATE INDEX IF NOT EXISTS deliveries_waiting ON deliveries (endpoint, attempts, seq)
            WHERE delivered_at IS NULL AND gave_up_at IS NULL
        """,
        // Given-up deliveries, counted per endpoint; a row enters it only when the sender gives up.
        "CREATE INDEX IF NOT EXISTS deliveries_given_up ON deliveries (endpoint) WHERE gave_up_at IS NOT NULL",
        // Retries only, per endpoint, in the order they come due: a backlog of never-tried deliveries, or
        // an endpoint down for hours, must not slow the search for another's due retries.
        "DROP INDEX IF EXISTS deliveries_retry",
        """
        CREATE INDEX IF NOT EXISTS deliveries_retry_due ON deliveries (endpoint, next_attempt_at)
            WHERE attempts > 0 AND delivered_at IS NULL AND gave_up_at IS NULL
        """,
        // Versions before 0.2 fanned exits out to deliveries in a trigger; the store does it in the
        // same transaction now (SqliteChanges), so no business logic hides in the schema.
        "DROP TRIGGER IF EXISTS exits_fan_out",
    };

    private final String url;
    private final Path dataDir;

    public Database(Path dataDir) throws IOException, SQLException {
        this.dataDir = dataDir;
        PrivateFolder.create(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        // SQLite gives its -wal and -shm files the database file's mode: create it 0600 first.
        PrivateFolder.createFile(file);
        for (String companion : new String[] {"-wal", "-shm"}) {
            Path other = dataDir.resolve(FILE_NAME + companion);
            if (Files.exists(other)) {
                PrivateFolder.createFile(other); // written by a version that left them readable by others
            }
        }
        this.url = "jdbc:sqlite:" + file.toAbsolutePath();
        try (Connection connection = open(); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            for (String ddl : SCHEMA) {
                statement.execute(ddl);
            }
            addColumnIfMissing(connection, "campaigns", "conversion_window", "TEXT");
            // Several conversion events (JSON; null: conversion_event alone), re-entry and holdout.
            addColumnIfMissing(connection, "campaigns", "conversion_events", "TEXT");
            addColumnIfMissing(connection, "campaigns", "reentry", "TEXT");
            addColumnIfMissing(connection, "campaigns", "holdout_percent", "INTEGER NOT NULL DEFAULT 0");
            addColumnIfMissing(connection, "enrollments", "holdout", "INTEGER NOT NULL DEFAULT 0");
            addColumnIfMissing(connection, "exits", "holdout", "INTEGER NOT NULL DEFAULT 0");
            addColumnIfMissing(connection, "exits", "event_name", "TEXT");
            addColumnIfMissing(connection, "exits", "event_time", "INTEGER");
            // Where a cluster instance read each exit on the exits topic: its feed pages by these, the
            // same on every instance. Embedded exits have none, and so no entry in the index.
            addColumnIfMissing(connection, "exits", "topic_partition", "INTEGER");
            addColumnIfMissing(connection, "exits", "topic_offset", "INTEGER");
            statement.execute("""
                    CREATE INDEX IF NOT EXISTS exits_by_topic_position ON exits (topic_partition, topic_offset)
                        WHERE topic_partition IS NOT NULL""");
            EventLogMigration.migrate(connection);
            HistoryRecords.markStart(connection);
        }
    }

    /** Databases created before a column existed get it added; CREATE TABLE IF NOT EXISTS leaves them as they are. */
    private static void addColumnIfMissing(Connection connection, String table, String column, String type)
            throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet columns = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (columns.next()) {
                if (column.equals(columns.getString("name"))) {
                    return;
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
        }
    }

    /**
     * A connection that reads a data directory another process may be writing (the service): no
     * schema change, no lock taken beyond SQLite's own reader's, a small page cache.
     *
     * @throws SQLException when there is no database there
     */
    static Connection openReadOnly(Path dataDir, int cacheKib) throws SQLException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new SQLException("no data directory at " + dataDir.toAbsolutePath() + " (" + FILE_NAME
                    + " is missing): point --data (or DATA_DIR) at the service's data directory");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
                config.toProperties());
        limitCache(connection, cacheKib);
        return connection;
    }

    /** Caps a connection's page cache, for readers that scan rather than probe. */
    static void limitCache(Connection connection, int cacheKib) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA cache_size=-" + cacheKib);
        }
    }

    Path dataDir() {
        return dataDir;
    }

    /** A new connection; each is used by one thread only. */
    public Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("busy_timeout", "10000");
        // Nothing reads generated keys; looking for them matched a regex against every statement run.
        properties.setProperty("jdbc.get_generated_keys", "false");
        Connection connection = DriverManager.getConnection(url, properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("PRAGMA foreign_keys=OFF");
            statement.execute("PRAGMA cache_size=-" + CACHE_KIB);
            statement.execute("PRAGMA mmap_size=" + MMAP_BYTES);
            statement.execute("PRAGMA wal_autocheckpoint=16384");
        }
        return connection;
    }
}
