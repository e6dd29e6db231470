package com.conversionrules.bench.storage;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SQLite used append-only: every table the hot path writes is keyed by a rowid that only grows,
 * with no secondary index, so each insert lands on the B-tree's last page. Dedupe is a set of
 * 64-bit fingerprints in memory, kept on disk as one blob per commit. Performed-event queries read
 * a separate file (no fsync: it is rebuilt from the events) that an indexer fills in bulk, sorted,
 * off the hot path. Enrollment changes are a log folded at restart.
 */
final class SqliteAppendOnly implements Candidate {
    private static final int INDEX_CHUNK = 500_000;

    private final Connection writer;
    private final Connection index;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertExit;
    private final PreparedStatement insertEnrollment;
    private final PreparedStatement insertKeys;
    private final LongOpenHashSet dedupe = new LongOpenHashSet();
    /** Fingerprints of the commit being built: one blob row at commit. */
    private final LongArrayList commitKeys = new LongArrayList();
    private long commitReceivedAt = Long.MAX_VALUE;
    private long nextSeq;

    SqliteAppendOnly(Path dir) throws SQLException {
        writer = SqliteFiles.open(dir.resolve("append.db"), true);
        SqliteFiles.execute(writer,
                """
                CREATE TABLE IF NOT EXISTS events (
                    seq INTEGER PRIMARY KEY, user_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
                    time INTEGER NOT NULL, campaign_id TEXT, properties TEXT, received_at INTEGER NOT NULL)""",
                """
                CREATE TABLE IF NOT EXISTS event_keys (
                    first_seq INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, fingerprints BLOB NOT NULL)""",
                """
                CREATE TABLE IF NOT EXISTS exits (
                    seq INTEGER PRIMARY KEY, id TEXT NOT NULL, campaign_id TEXT NOT NULL, user_id TEXT NOT NULL,
                    reason TEXT NOT NULL, conversion_event TEXT, event_id TEXT, value REAL NOT NULL,
                    rule TEXT, rule_file TEXT, rules_version TEXT, exited_at INTEGER NOT NULL)""",
                """
                CREATE TABLE IF NOT EXISTS enrollment_log (
                    seq INTEGER PRIMARY KEY, campaign_id TEXT NOT NULL, user_id TEXT NOT NULL,
                    enrolled_at INTEGER NOT NULL, status TEXT NOT NULL, exit_id TEXT)""");
        writer.setAutoCommit(false);
        try (Statement statement = writer.createStatement();
             ResultSet rows = statement.executeQuery("SELECT coalesce(max(seq), 0) FROM events")) {
            rows.next();
            nextSeq = rows.getLong(1) + 1;
        }
        insertEvent = writer.prepareStatement("""
                INSERT INTO events (seq, user_id, id, name, time, campaign_id, properties, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""");
        insertExit = writer.prepareStatement("""
                INSERT INTO exits (id, campaign_id, user_id, reason, conversion_event, event_id, value, rule, rule_file,
                rules_version, exited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        insertEnrollment = writer.prepareStatement(
                "INSERT INTO enrollment_log (campaign_id, user_id, enrolled_at, status, exit_id) VALUES (?, ?, ?, ?, ?)");
        insertKeys = writer.prepareStatement(
                "INSERT INTO event_keys (first_seq, received_at, fingerprints) VALUES (?, ?, ?)");

        index = SqliteFiles.open(dir.resolve("performed.db"), false);
        SqliteFiles.execute(index,
                """
                CREATE TABLE IF NOT EXISTS performed (
                    k INTEGER NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL,
                    PRIMARY KEY (k, time, seq)) WITHOUT ROWID""",
                "CREATE TABLE IF NOT EXISTS indexed (id INTEGER PRIMARY KEY CHECK (id = 0), last_seq INTEGER NOT NULL)",
                "INSERT OR IGNORE INTO indexed VALUES (0, 0)");
        index.setAutoCommit(false);
    }

    @Override
    public boolean duplicate(StoredEvent event) {
        return !dedupe.add(event.fingerprint());
    }

    @Override
    public void write(ShardBatch batch) throws SQLException {
        for (StoredEvent event : batch.events()) {
            if (commitKeys.isEmpty()) {
                commitReceivedAt = event.receivedAt();
            }
            commitKeys.add(event.fingerprint());
            insertEvent.setLong(1, nextSeq + commitKeys.size() - 1);
            insertEvent.setString(2, event.userId());
            insertEvent.setString(3, event.eventId());
            insertEvent.setString(4, event.name());
            insertEvent.setLong(5, event.time());
            setNullable(insertEvent, 6, event.campaignId());
            setNullable(insertEvent, 7, event.properties());
            insertEvent.setLong(8, event.receivedAt());
            insertEvent.executeUpdate();
        }
        for (StoredExit exit : batch.exits()) {
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
            enrollmentChange(exit.campaignId(), exit.userId(), exit.exitedAt(), "converted", exit.id());
        }
    }

    @Override
    public void commit() throws SQLException {
        if (!commitKeys.isEmpty()) {
            ByteBuffer blob = ByteBuffer.allocate(commitKeys.size() * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            blob.asLongBuffer().put(commitKeys.elements(), 0, commitKeys.size());
            insertKeys.setLong(1, nextSeq);
            insertKeys.setLong(2, commitReceivedAt);
            insertKeys.setBytes(3, blob.array());
            insertKeys.executeUpdate();
            nextSeq += commitKeys.size();
            commitKeys.clear();
        }
        writer.commit();
    }

    @Override
    public void enroll(List<StoredEnrollment> chunk) throws SQLException {
        for (StoredEnrollment enrollment : chunk) {
            enrollmentChange(enrollment.campaignId(), enrollment.userId(), enrollment.enrolledAt(), "active", null);
        }
        writer.commit();
    }

    private void enrollmentChange(String campaignId, String userId, long at, String status, String exitId)
            throws SQLException {
        insertEnrollment.setString(1, campaignId);
        insertEnrollment.setString(2, userId);
        insertEnrollment.setLong(3, at);
        insertEnrollment.setString(4, status);
        setNullable(insertEnrollment, 5, exitId);
        insertEnrollment.executeUpdate();
    }

    /** The indexer: new events in chunks, sorted by key so the inserts walk the B-tree in order. */
    @Override
    public void catchUp() throws SQLException {
        long last;
        try (Statement statement = index.createStatement();
             ResultSet rows = statement.executeQuery("SELECT last_seq FROM indexed")) {
            rows.next();
            last = rows.getLong(1);
        }
        try (PreparedStatement select = writer.prepareStatement(
                "SELECT seq, user_id, name, time FROM events WHERE seq > ? ORDER BY seq LIMIT " + INDEX_CHUNK);
             PreparedStatement insert = index.prepareStatement("INSERT INTO performed (k, time, seq) VALUES (?, ?, ?)");
             PreparedStatement mark = index.prepareStatement("UPDATE indexed SET last_seq = ?")) {
            select.setFetchSize(10_000);
            long[] entries = new long[INDEX_CHUNK * 3];
            while (true) {
                select.setLong(1, last);
                int count = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long seq = rows.getLong(1);
                        entries[count * 3] = Fingerprints.of(rows.getString(2), rows.getString(3));
                        entries[count * 3 + 1] = rows.getLong(4);
                        entries[count * 3 + 2] = seq;
                        last = seq;
                        count++;
                    }
                }
                if (count == 0) {
                    return;
                }
                Triples.sort(entries, count);
                for (int i = 0; i < count; i++) {
                    insert.setLong(1, entries[i * 3]);
                    insert.setLong(2, entries[i * 3 + 1]);
                    insert.setLong(3, entries[i * 3 + 2]);
                    insert.executeUpdate();
                }
                mark.setLong(1, last);
                mark.executeUpdate();
                index.commit();
            }
        }
    }

    @Override
    public long rebuildDedupe(long since) throws SQLException {
        try (PreparedStatement select = writer.prepareStatement(
                "SELECT fingerprints FROM event_keys WHERE received_at >= ?")) {
            select.setLong(1, since);
            select.setFetchSize(1_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ByteBuffer blob = ByteBuffer.wrap(rows.getBytes(1)).order(ByteOrder.LITTLE_ENDIAN);
                    while (blob.hasRemaining()) {
                        dedupe.add(blob.getLong());
                    }
                }
            }
        }
        return dedupe.size();
    }

    /** Folds the enrollment log: the last change of each enrollment wins. */
    @Override
    public void readActive(Consumer<StoredEnrollment> consumer) throws SQLException {
        Map<String, StoredEnrollment> active = new HashMap<>();
        try (PreparedStatement select = writer.prepareStatement(
                "SELECT campaign_id, user_id, enrolled_at, status FROM enrollment_log ORDER BY seq")) {
            select.setFetchSize(10_000);
            Map<String, String> campaignIds = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String campaignId = campaignIds.computeIfAbsent(rows.getString(1), id -> id);
                    String userId = rows.getString(2);
                    String key = campaignId + '\u0000' + userId;
                    if ("active".equals(rows.getString(4))) {
                        active.put(key, new StoredEnrollment(campaignId, userId, rows.getLong(3)));
                    } else {
                        active.remove(key);
                    }
                }
            }
        }
        active.values().forEach(consumer);
    }

    @Override
    public Performed performed(String userId, String name, long since) throws SQLException {
        try (PreparedStatement select = index.prepareStatement(
                "SELECT count(*), max(time) FROM performed WHERE k = ? AND time >= ?")) {
            select.setLong(1, Fingerprints.of(userId, name));
            select.setLong(2, since);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long count = rows.getLong(1);
                return count == 0 ? Performed.NONE : new Performed(count, rows.getLong(2));
            }
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement statement : new PreparedStatement[] {insertEvent, insertExit, insertEnrollment, insertKeys}) {
            statement.close();
        }
        writer.commit();
        writer.close();
        index.commit();
        index.close();
    }

    private static void setNullable(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
