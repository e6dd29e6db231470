package com.conversionrules.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index behind performed-event queries ("has user U done E since T"), kept off the hot path: a
 * thread of its own reads the event log after the last seq it indexed, sorts each chunk by key and
 * writes it to a file of its own ({@code performed.db}). That file is never synced: it is derived,
 * and rebuilt from the log if it is lost or does not open. A query first waits until the index has
 * passed every event committed before the query came, so a client reads its own writes.
 */
final class PerformedIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PerformedIndex.class);
    static final String FILE_NAME = "performed.db";
    private static final int CHUNK = 100_000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * While no query waits, events gather until a chunk's worth or this long: a large sorted chunk
     * changes each B-tree page once for many entries, where one small chunk per commit rewrote a
     * page per entry (the indexer took 0.72 cores at 225k events/s, bench/http-ingestion.sh).
     */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The index's page cache: its upper levels and the pages a chunk revisits stay in memory. */
    private static final int CACHE_KIB = 64 * 1024;

    private final Path file;
    private final Database database;
    private final long gatherNanos;
    private final Thread thread;
    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentSkipListMap<>();
    private volatile long committed;
    private volatile long indexed;
    private volatile boolean running = true;

    PerformedIndex(Path dataDir, Database database, long committedAtStart) {
        this(dataDir, database, committedAtStart, GATHER_NANOS);
    }

    /** With how long events may gather while no query waits (a test makes it long). */
    PerformedIndex(Path dataDir, Database database, long committedAtStart, long gatherNanos) {
        this.file = dataDir.resolve(FILE_NAME);
        this.database = database;
        this.gatherNanos = gatherNanos;
        this.committed = committedAtStart;
        this.thread = new Thread(this::run, "performed-indexer");
    }

    void start() {
        thread.start();
    }

    /** The event log holds everything up to {@code seq} durably now. */
    void committed(long seq) {
        if (seq > committed) {
            committed = seq;
        }
    }

    /** Completes once every event committed before this call is indexed. */
    CompletableFuture<Void> caughtUp() {
        long target = committed;
        if (indexed >= target) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = waiting.computeIfAbsent(target, seq -> new CompletableFuture<>());
        if (indexed >= target) {
            done.complete(null);
        }
        LockSupport.unpark(thread);
        return done;
    }

    /** The SQL that opens this index beside the store's tables on a reader connection. */
    String attach() {
        return "ATTACH DATABASE '" + file.toAbsolutePath().toString().replace("'", "''") + "' AS pi";
    }

    static final String PERFORMED = """
            SELECT count(*), max(p.time) FROM pi.performed p JOIN event_log e ON e.seq = p.seq
            WHERE p.k = ? AND p.time >= ? AND e.user_id = ? AND e.name = ?""";

    /** On a reader connection with the index attached: how often the user did the event since a time, and when last. */
    static Performed performed(Connection connection, String userId, String name, long since) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(PERFORMED)) {
            select.setLong(1, EventKey.of(userId, name));
            select.setLong(2, since);
            select.setString(3, userId);
            select.setString(4, name);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long count = rows.getLong(1);
                long last = rows.getLong(2);
                return new Performed(count, rows.wasNull() ? null : last);
            }
        }
    }

    /** Creates the index file if needed; a file that does not open is replaced and rebuilt from the log. */
    void open() throws SQLException {
        try {
            prepare();
        } catch (SQLException e) {
            LOG.warn("The performed-event index does not open ({}); rebuilding it from the event log", e.getMessage());
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling(FILE_NAME + "-wal"));
                Files.deleteIfExists(file.resolveSibling(FILE_NAME + "-shm"));
            } catch (java.io.IOException io) {
                throw new SQLException("cannot replace " + file, io);
            }
            prepare();
        }
    }

    private void prepare() throws SQLException {
        try (Connection connection = indexConnection(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS performed (
                        k INTEGER NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL,
                        PRIMARY KEY (k, time, seq)) WITHOUT ROWID""");
            statement.execute("CREATE TABLE IF NOT EXISTS indexed (id INTEGER PRIMARY KEY CHECK (id = 0), last_seq INTEGER NOT NULL)");
            statement.execute("INSERT OR IGNORE INTO indexed VALUES (0, 0)");
            try (ResultSet rows = statement.executeQuery("SELECT last_seq FROM indexed")) {
                rows.next();
                indexed = rows.getLong(1);
            }
        }
    }

    private Connection indexConnection() throws SQLException {
        try {
            PrivateFolder.createFile(file);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + file, e);
        }
        Properties properties = new Properties();
        // Nothing reads generated keys; looking for them matched a regex against every insert.
        properties.setProperty("jdbc.get_generated_keys", "false");
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            // Derived data: a crash may lose its last chunks, which are indexed again from the log.
            statement.execute("PRAGMA synchronous=OFF");
            statement.execute("PRAGMA cache_size=-" + CACHE_KIB);
        }
        return connection;
    }

    private void run() {
        try (Connection log = database.open(); Connection index = indexConnection()) {
            index.setAutoCommit(false);
            long lastChunk = System.nanoTime();
            while (running) {
                long backlog = committed - indexed;
                if (backlog == 0 || (backlog < CHUNK && waiting.isEmpty()
                        && System.nanoTime() - lastChunk < gatherNanos)) {
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                lastChunk = System.nanoTime();
                indexed = indexChunk(log, index, indexed, committed);
                completeWaiting();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("The performed-event index stopped ({}); performed-event queries wait until a restart rebuilds it",
                    e.toString());
        }
    }

    /** Indexes events after {@code after} up to {@code upTo}, a chunk at a time, sorted by key; returns the last seq indexed. */
    private static long indexChunk(Connection log, Connection index, long after, long upTo) throws SQLException {
        long[] entries = new long[CHUNK * 3];
        int count = 0;
        long last = after;
        try (PreparedStatement select = log.prepareStatement(
                "SELECT seq, user_id, name, time FROM event_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT " + CHUNK)) {
            select.setLong(1, after);
            select.setLong(2, upTo);
            select.setFetchSize(10_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    entries[count * 3] = EventKey.of(rows.getString(2), rows.getString(3));
                    entries[count * 3 + 1] = rows.getLong(4);
                    entries[count * 3 + 2] = last;
                    count++;
                }
            }
        }
        sortByKey(entries, count);
        try (PreparedStatement insert = index.prepareStatement("INSERT OR IGNORE INTO performed (k, time, seq) VALUES (?, ?, ?)");
             PreparedStatement mark = index.prepareStatement("UPDATE indexed SET last_seq = ?")) {
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
        return last;
    }

    /** Sorts (key, time, seq) triples by key, in place, so the inserts walk the index's B-tree in order. */
    private static void sortByKey(long[] entries, int count) {
        it.unimi.dsi.fastutil.Arrays.quickSort(0, count, (a, b) -> Long.compare(entries[a * 3], entries[b * 3]),
                (a, b) -> {
                    for (int field = 0; field < 3; field++) {
                        long swapped = entries[a * 3 + field];
                        entries[a * 3 + field] = entries[b * 3 + field];
                        entries[b * 3 + field] = swapped;
                    }
                });
    }

    private void completeWaiting() {
        waiting.entrySet().removeIf(entry -> {
            if (entry.getKey() <= indexed) {
                entry.getValue().complete(null);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiting.values().forEach(future -> future.completeExceptionally(
                new StoreUnavailableException(new IllegalStateException("the store is closing"))));
    }
}
