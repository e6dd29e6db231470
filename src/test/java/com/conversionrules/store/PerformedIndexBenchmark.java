package com.conversionrules.store;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * bench/performed-index.sh: what the performed-event index costs as it grows, the SQLite B-tree it
 * was until 2026-11-30 (the baseline: sorted chunks of 100,000 into a WITHOUT ROWID table, a 64 MB
 * page cache, synchronous=OFF) against {@link PerformedFile} (RocksDB), on the same stream of events
 * in the same run: CPU per event for each slice of the growth (the whole process, so RocksDB's
 * flushes and compactions count, less the thread that makes the events), then 2,000 queries.
 *
 * <p>In the store's package because the index's file class is package-private; not a test.
 */
public final class PerformedIndexBenchmark {
    private static final int CHUNK = 100_000;
    private static final String[] NAMES = {"Placed Order", "Active on Site", "Opened Email", "Clicked Email", "Clicked SMS"};
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One way of indexing a chunk of events. */
    private interface Index extends AutoCloseable {
        void add(long[] seqs, String[] users, String[] names, long[] times) throws Exception;

        long query(String user, String name, long since) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        long events = quick ? 400_000 : 40_000_000;
        int users = quick ? 10_000 : 1_000_000;
        int slices = 10;
        Path root = Path.of("target/performed-index-bench");
        System.out.printf("performed-event index benchmark: %,d events of %,d users x %d names, in chunks of %,d%n",
                events, users, NAMES.length, Math.min(CHUNK, events / slices));
        System.out.println("size after the slice | sqlite b-tree (baseline) us CPU/event | rocksdb us CPU/event | x baseline");
        double[][] figures = new double[2][slices];
        long[][] queries = new long[2][];
        for (int candidate = 0; candidate < 2; candidate++) {
            Path dir = root.resolve(candidate == 0 ? "sqlite" : "rocksdb");
            delete(dir);
            Files.createDirectories(dir);
            try (Index index = candidate == 0 ? new SqliteBtree(dir) : new Rocks(dir)) {
                figures[candidate] = grow(index, events, users, slices);
                queries[candidate] = query(index, users, events);
            }
            delete(dir);
        }
        for (int slice = 0; slice < slices; slice++) {
            System.out.printf("%,d | %.2f | %.2f | %.2fx%n", events / slices * (slice + 1), figures[0][slice],
                    figures[1][slice], figures[1][slice] / figures[0][slice]);
        }
        System.out.printf("query p50 / p99: sqlite b-tree %.1f / %.1f us, rocksdb %.1f / %.1f us%n",
                queries[0][0] / 1e3, queries[0][1] / 1e3, queries[1][0] / 1e3, queries[1][1] / 1e3);
        if (queries[0][2] != queries[1][2]) {
            throw new IllegalStateException("the two indexes answered differently: " + queries[0][2] + " vs " + queries[1][2]);
        }
    }

    /** Adds the events slice by slice; returns the CPU per event of each slice in microseconds. */
    private static double[] grow(Index index, long events, int users, int slices) throws Exception {
        Random random = new Random(42);
        int chunk = (int) Math.min(CHUNK, events / slices);
        double[] perEvent = new double[slices];
        long seq = 0;
        for (int slice = 0; slice < slices; slice++) {
            long process = OS.getProcessCpuTime();
            long making = 0;
            for (long done = 0; done < events / slices; done += chunk) {
                long started = THREADS.getCurrentThreadCpuTime();
                long[] seqs = new long[chunk];
                long[] times = new long[chunk];
                String[] names = new String[chunk];
                String[] userIds = new String[chunk];
                for (int i = 0; i < chunk; i++) {
                    seqs[i] = ++seq;
                    times[i] = 1_700_000_000_000L + seq;
                    userIds[i] = "user-" + random.nextInt(users);
                    names[i] = NAMES[random.nextInt(NAMES.length)];
                }
                making += THREADS.getCurrentThreadCpuTime() - started;
                index.add(seqs, userIds, names, times);
            }
            perEvent[slice] = (OS.getProcessCpuTime() - process - making) / 1e3 / (events / slices);
        }
        return perEvent;
    }

    /** 2,000 queries of random users and names since the middle of the stream: p50, p99 (ns) and a checksum. */
    private static long[] query(Index index, int users, long events) throws Exception {
        Random random = new Random(7);
        List<Long> nanos = new ArrayList<>();
        long checksum = 0;
        for (int i = 0; i < 2_000; i++) {
            String user = "user-" + random.nextInt(users);
            String name = NAMES[random.nextInt(NAMES.length)];
            long started = System.nanoTime();
            checksum = checksum * 31 + index.query(user, name, 1_700_000_000_000L + events / 2);
            nanos.add(System.nanoTime() - started);
        }
        nanos.sort(Comparator.naturalOrder());
        return new long[] {nanos.get(nanos.size() / 2), nanos.get(nanos.size() * 99 / 100), checksum};
    }

    /** The index as it was: sorted chunks into a B-tree keyed by (fingerprint, time, seq). */
    private static final class SqliteBtree implements Index {
        private final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement select;

        SqliteBtree(Path dir) throws Exception {
            connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("performed.db"));
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=OFF");
                statement.execute("PRAGMA cache_size=-65536");
                statement.execute("""
                        CREATE TABLE performed (k INTEGER NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL,
                            PRIMARY KEY (k, time, seq)) WITHOUT ROWID""");
            }
            connection.setAutoCommit(false);
            insert = connection.prepareStatement("INSERT OR IGNORE INTO performed (k, time, seq) VALUES (?, ?, ?)");
            select = connection.prepareStatement("SELECT count(*) FROM performed WHERE k = ? AND time >= ?");
        }

        @Override
        public void add(long[] seqs, String[] users, String[] names, long[] times) throws Exception {
            long[] rows = new long[seqs.length * 3];
            for (int i = 0; i < seqs.length; i++) {
                rows[i * 3] = EventKey.of(users[i], names[i]);
                rows[i * 3 + 1] = times[i];
                rows[i * 3 + 2] = seqs[i];
            }
            it.unimi.dsi.fastutil.Arrays.quickSort(0, seqs.length, (a, b) -> Long.compare(rows[a * 3], rows[b * 3]),
                    (a, b) -> {
                        for (int field = 0; field < 3; field++) {
                            long swapped = rows[a * 3 + field];
                            rows[a * 3 + field] = rows[b * 3 + field];
                            rows[b * 3 + field] = swapped;
                        }
                    });
            for (int i = 0; i < seqs.length; i++) {
                insert.setLong(1, rows[i * 3]);
                insert.setLong(2, rows[i * 3 + 1]);
                insert.setLong(3, rows[i * 3 + 2]);
                insert.executeUpdate();
            }
            connection.commit();
        }

        @Override
        public long query(String user, String name, long since) throws Exception {
            select.setLong(1, EventKey.of(user, name));
            select.setLong(2, since);
            try (var rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /** The index as it is. */
    private static final class Rocks implements Index {
        private final PerformedFile file;

        Rocks(Path dir) throws Exception {
            file = PerformedFile.open(dir, Duration.ofDays(90));
        }

        @Override
        public void add(long[] seqs, String[] users, String[] names, long[] times) throws Exception {
            PerformedFile.Batch batch = file.batch();
            for (int i = 0; i < seqs.length; i++) {
                batch.add(seqs[i], users[i], names[i], times[i]);
            }
            batch.write(seqs[seqs.length - 1]);
        }

        @Override
        public long query(String user, String name, long since) {
            return file.performed(user, name, since, 0).count();
        }

        @Override
        public void close() {
            file.close();
        }
    }

    private static void delete(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
