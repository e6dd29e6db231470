package com.conversionrules.bench.storage;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Issue 10's storage benchmark: the durable write path of one shard batch stream replayed on each
 * candidate in the same run, today's SQLite path first as the baseline. Per candidate: a bulk
 * enrollment, then events in group commits (one fsync each), the work each design defers, the
 * bytes on disk, a restart (dedupe set rebuilt, active enrollments read back) and performed-event
 * queries over everything stored. Beside them: what an fsync costs on this disk and what the
 * in-memory dedupe set costs per key. Every figure is printed with its ratio to the baseline.
 *
 * <pre>bench/storage.sh [--quick] [--users N] [--events N] [--only sqlite-today,rocksdb-append,...] [--dir DIR] [--keep]</pre>
 *
 * Candidates ({@link CandidateKind}): sqlite-today (the baseline), sqlite-today-memory, sqlite-append,
 * rocksdb, rocksdb-lean, rocksdb-append, segment-log.
 */
public final class StorageBenchmark {
    private static final long SEED = 20261130L;
    private static final int ENROLL_CHUNK = 10_000;
    private static final int MAIN_COMMIT = 1_000;
    private static final int[] SWEEP_COMMITS = {100, 1_000, 4_000};

    private final boolean quick;
    private final int users;
    private final long events;
    private final int sweepEvents;
    private final int queries;
    private final boolean keep;
    private final Path root;
    private final Map<CandidateKind, Figures> results = new EnumMap<>(CandidateKind.class);

    private StorageBenchmark(List<String> options) throws IOException {
        quick = options.contains("--quick");
        users = Integer.parseInt(option(options, "--users", quick ? "20000" : "1000000"));
        events = Long.parseLong(option(options, "--events", quick ? "200000" : "10000000"));
        sweepEvents = quick ? 12_000 : 200_000;
        queries = quick ? 2_000 : 20_000;
        keep = options.contains("--keep");
        root = Files.createDirectories(Path.of(option(options, "--dir", "target/storage-bench"))).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        StorageBenchmark benchmark = new StorageBenchmark(options);
        List<CandidateKind> kinds = new ArrayList<>();
        for (String name : option(options, "--only", "sqlite-today,sqlite-append,rocksdb,rocksdb-append,segment-log").split(",")) {
            kinds.add(Arrays.stream(CandidateKind.values()).filter(kind -> kind.option().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no candidate " + name)));
        }
        benchmark.run(kinds);
    }

    private void run(List<CandidateKind> kinds) throws Exception {
        System.out.printf("storage benchmark: %s, JVM %s, max heap %d MB, data in %s (%s), %d cores%n",
                quick ? "quick" : "full", System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20,
                root, Files.getFileStore(root).type(), Runtime.getRuntime().availableProcessors());
        System.out.printf("workload: %,d users enrolled in bulk (chunks of %,d), %,d events in commits of %,d (shard batches"
                + " of %d), then %,d more at each commit size %s; 1%% retries, 5%% exits; %,d performed queries%n",
                users, ENROLL_CHUNK, events, MAIN_COMMIT, EventStream.SHARD_BATCH, sweepEvents, Arrays.toString(SWEEP_COMMITS),
                queries);
        int syncs = quick ? 100 : 1_000;
        FsyncProbe.Result datasync = FsyncProbe.measure(root, syncs, false);
        FsyncProbe.Result fsync = FsyncProbe.measure(root, syncs, true);
        System.out.printf("%nsync on this disk (4 KiB appended, then forced; %d times): fdatasync p50 %.3f ms, p99 %.3f ms,"
                + " mean %.3f ms; fsync p50 %.3f ms, p99 %.3f ms, mean %.3f ms%n", syncs, datasync.p50Millis(),
                datasync.p99Millis(), datasync.meanMillis(), fsync.p50Millis(), fsync.p99Millis(), fsync.meanMillis());

        System.out.printf("%nin-memory dedupe set (random 64-bit keys; add = what a rebuild pays per key, lookup = half hits)%n");
        System.out.println("set | keys | bytes/key | bytes per million events | add ns | lookup ns");
        for (int size : quick ? new int[] {1_000_000} : new int[] {1_000_000, 10_000_000}) {
            for (DedupeSets.Result set : DedupeSets.measure(size)) {
                System.out.printf("%s | %,d | %.1f | %,.0f | %.0f | %.0f%n", set.name(), set.keys(), set.bytesPerKey(),
                        set.bytesPerKey() * 1e6, set.addNanos(), set.lookupNanos());
            }
        }

        for (CandidateKind kind : kinds) {
            System.out.printf("%n== %s ==%n", kind.label);
            results.put(kind, measure(kind));
        }
        summary();
    }

    private Figures measure(CandidateKind kind) throws Exception {
        Path dir = root.resolve(kind.option());
        deleteTree(dir);
        Files.createDirectories(dir);
        EventStream stream = new EventStream(users, events + (long) sweepEvents * SWEEP_COMMITS.length, SEED);
        Figures figures = new Figures(kind);
        Candidate store = kind.open(dir);
        try {
            long nanos = 0;
            for (int from = 0; from < users; from += ENROLL_CHUNK) {
                List<StoredEnrollment> chunk = stream.enrollments(from, Math.min(users, from + ENROLL_CHUNK));
                long start = System.nanoTime();
                store.enroll(chunk);
                nanos += System.nanoTime() - start;
            }
            figures.bulkSeconds = nanos / 1e9;
            store.close();
            figures.bytesAfterEnrollment = sizeOf(dir);
            store = kind.open(dir);
            long[] active = {0};
            long start = System.nanoTime();
            store.readActive(enrollment -> active[0]++);
            figures.bulkActiveSeconds = (System.nanoTime() - start) / 1e9;
            if (active[0] != users) {
                throw new IllegalStateException(kind.label + " read " + active[0] + " active enrollments of " + users);
            }
            System.out.printf("bulk enrollment of %,d: %.2f s; after a restart all %,d read back in %.2f s%n", users,
                    figures.bulkSeconds, active[0], figures.bulkActiveSeconds);

            Ingest main = ingest(store, stream, events, MAIN_COMMIT);
            figures.eventsPerSecond = main.rate();
            figures.firstTenth = main.firstTenthRate;
            figures.lastTenth = main.lastTenthRate;
            figures.commitP50 = main.commitPercentile(0.50);
            figures.commitP99 = main.commitPercentile(0.99);
            figures.cpuMicros = main.cpuNanos / 1e3 / events;
            figures.stored += main.stored;
            figures.storedSample = main.sampled.toLongArray();
            System.out.printf("%,d events in commits of %,d: %,.0f events/s (first tenth %,.0f, last tenth %,.0f);"
                    + " commit (write + sync) p50 %.2f ms, p99 %.2f ms; CPU %.2f us per event (all threads);"
                    + " %,d stored, %,d duplicates refused%n", events, MAIN_COMMIT, main.rate(), main.firstTenthRate,
                    main.lastTenthRate, figures.commitP50, figures.commitP99, figures.cpuMicros, main.stored, main.duplicates);
            figures.sweep = new double[SWEEP_COMMITS.length];
            for (int i = 0; i < SWEEP_COMMITS.length; i++) {
                Ingest sweep = ingest(store, stream, sweepEvents, SWEEP_COMMITS[i]);
                figures.sweep[i] = sweep.rate();
                figures.stored += sweep.stored;
                System.out.printf("%,d more in commits of %,d: %,.0f events/s; commit p50 %.2f ms%n", sweepEvents,
                        SWEEP_COMMITS[i], sweep.rate(), sweep.commitPercentile(0.5));
            }
            start = System.nanoTime();
            long cpuStart = Cpu.processNanos();
            store.catchUp();
            figures.catchUpSeconds = (System.nanoTime() - start) / 1e9;
            figures.catchUpCpuMicros = (Cpu.processNanos() - cpuStart) / 1e3 / figures.stored;
            figures.handledEvents = events + (long) sweepEvents * SWEEP_COMMITS.length;
            figures.handledNanos = main.nanos;
            System.out.printf("deferred work (index, flush and compactions) finished in %.2f s, CPU %.2f us per stored"
                    + " event%n", figures.catchUpSeconds, figures.catchUpCpuMicros);
        } finally {
            store.close();
        }
        figures.bytes = sizeOf(dir);
        System.out.printf("on disk: %,d bytes after the bulk enrollment, %,d after %,d stored events (store closed)%n",
                figures.bytesAfterEnrollment, figures.bytes, figures.stored);

        store = null; // the closed store's dedupe set must not count in the new one's heap
        long heapBefore = Heap.usedAfterGc();
        long start = System.nanoTime();
        store = kind.open(dir);
        try {
            figures.openMillis = (System.nanoTime() - start) / 1e6;
            long heapOpen = Heap.usedAfterGc();
            figures.openBytesPerEvent = (heapOpen - heapBefore) / (double) figures.stored;
            start = System.nanoTime();
            figures.dedupeKeys = store.rebuildDedupe(EventStream.START - 3_600_000L);
            figures.dedupeSeconds = (System.nanoTime() - start) / 1e9;
            figures.dedupeBytesPerKey = figures.dedupeKeys == 0 ? 0
                    : (Heap.usedAfterGc() - heapOpen) / (double) figures.dedupeKeys;
            if (kind != CandidateKind.SQLITE_TODAY && figures.dedupeKeys != figures.stored) {
                throw new IllegalStateException(kind.label + " rebuilt " + figures.dedupeKeys + " keys for "
                        + figures.stored + " stored events");
            }
            long[] active = {0};
            start = System.nanoTime();
            store.readActive(enrollment -> active[0]++);
            figures.activeSeconds = (System.nanoTime() - start) / 1e9;
            figures.active = active[0];
            if (active[0] != stream.activeCount()) {
                throw new IllegalStateException(kind.label + " read " + active[0] + " active enrollments, expected "
                        + stream.activeCount());
            }
            System.out.printf("restart: open %.0f ms (heap it holds: %.1f B per stored event); dedupe set rebuilt in"
                    + " %.2f s (%,d keys, %.1f heap bytes each); %,d active enrollments read back in %.2f s (%,d enrolled,"
                    + " %,d exits)%n", figures.openMillis, figures.openBytesPerEvent, figures.dedupeSeconds, figures.dedupeKeys, figures.dedupeBytesPerKey, figures.active,
                    figures.activeSeconds, users, stream.exits());
            performed(store, figures);
            if (store instanceof RocksLog rocks && kind == CandidateKind.ROCKSDB) {
                figures.extra = rocksDedupeByGet(rocks, figures.storedSample, figures.stored);
            }
        } finally {
            store.close();
            if (!keep) {
                deleteTree(dir);
            }
        }
        return figures;
    }

    /** Replays {@code count} events in commits of {@code commitSize}; the generation of each commit is not timed. */
    private static Ingest ingest(Candidate store, EventStream stream, long count, int commitSize) throws Exception {
        Ingest result = new Ingest(count, commitSize);
        long cpuStart = Cpu.processNanos();
        long generating = 0;
        for (long done = 0; done < count; done += commitSize) {
            int size = (int) Math.min(commitSize, count - done);
            long generationStart = Cpu.threadNanos();
            List<EventStream.Generated> batches = stream.commit(size);
            generating += Cpu.threadNanos() - generationStart;
            long start = System.nanoTime();
            for (EventStream.Generated batch : batches) {
                List<StoredEvent> accepted = new ArrayList<>(batch.events().size());
                for (StoredEvent event : batch.events()) {
                    boolean duplicate = store.duplicate(event);
                    if (duplicate != event.retry()) {
                        throw new IllegalStateException((duplicate ? "a new event was taken for a duplicate: "
                                : "a retried event was not caught: ") + event);
                    }
                    if (!duplicate) {
                        accepted.add(event);
                    }
                }
                result.stored += accepted.size();
                result.duplicates += batch.events().size() - accepted.size();
                store.write(new ShardBatch(accepted, batch.exits()));
            }
            long committing = System.nanoTime();
            store.commit();
            long end = System.nanoTime();
            result.commit(done, size, end - start, end - committing);
            result.sample(batches);
            if (count >= 1_000_000 && (done + size) % (count / 10) < size) {
                System.out.printf("  %,d events, %,.0f events/s so far%n", done + size, (done + size) / (result.nanos / 1e9));
            }
        }
        result.cpuNanos = Cpu.processNanos() - cpuStart - generating;
        return result;
    }

    /** Performed-event queries for random users, names and times: latency of each, and a checksum of the answers. */
    private void performed(Candidate store, Figures figures) throws Exception {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int warmUp = queries / 10;
        long[] nanos = new long[queries];
        long checksum = 0;
        long found = 0;
        for (int i = -warmUp; i < queries; i++) {
            String userId = EventStream.userId(random.nextInt(users));
            String name = EventStream.NAMES[random.nextInt(EventStream.NAMES.length)];
            long since = EventStream.START + random.nextLong(EventStream.WINDOW);
            long start = System.nanoTime();
            Candidate.Performed answer = store.performed(userId, name, since);
            long took = System.nanoTime() - start;
            if (i >= 0) {
                nanos[i] = took;
                checksum = checksum * 31 + answer.count() * 1_000_003 + answer.last();
                found += answer.count() > 0 ? 1 : 0;
            }
        }
        Arrays.sort(nanos);
        figures.performedP50 = nanos[queries / 2] / 1e3;
        figures.performedP99 = nanos[(int) (queries * 0.99)] / 1e3;
        figures.performedChecksum = checksum;
        System.out.printf("performed queries: p50 %.1f us, p99 %.1f us (%,d queries, %,d found something, checksum %x)%n",
                figures.performedP50, figures.performedP99, queries, found, checksum);
    }

    /** The alternative to the in-memory set: a get on the dedupe family, its bloom filter in front. */
    private String rocksDedupeByGet(RocksLog rocks, long[] storedKeys, long stored) throws Exception {
        int lookups = storedKeys.length;
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int falsePositives = 0;
        long start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            falsePositives += rocks.storedBefore(random.nextLong()) ? 1 : 0;
        }
        double absentNanos = (System.nanoTime() - start) / (double) lookups;
        start = System.nanoTime();
        for (long key : storedKeys) {
            if (!rocks.storedBefore(key)) {
                throw new IllegalStateException("a stored key was not found by get");
            }
        }
        double storedNanos = (System.nanoTime() - start) / (double) lookups;
        long filterBytes = rocks.dedupeFilterBytes();
        String line = String.format("dedupe by a bloom-filtered get instead of the in-memory set: new key %.0f ns"
                + " (%d of %,d random keys found), stored key %.0f ns; the dedupe family's filters and indexes hold"
                + " %,d bytes in memory, %.2f per stored key", absentNanos, falsePositives, lookups, storedNanos,
                filterBytes, filterBytes / (double) stored);
        System.out.println(line);
        return line;
    }

    private void summary() {
        Figures base = results.get(CandidateKind.SQLITE_TODAY);
        System.out.printf("%nsummary (x = ratio to the baseline measured above in the same run)%n");
        System.out.println("candidate | durable events/s, commits of 1,000 | x | first tenth | last tenth | commit p50 ms"
                + " | commit p99 ms | events/s, commits of 100 / 1,000 / 4,000 | x (4,000) | deferred work s"
                + " | events/s counting deferred work | x | CPU us/event | + deferred | x");
        for (Figures f : results.values()) {
            double cpu = f.cpuMicros + f.catchUpCpuMicros;
            double baseCpu = base == null ? 0 : base.cpuMicros + base.catchUpCpuMicros;
            System.out.printf("%s | %,.0f | %s | %,.0f | %,.0f | %.2f | %.2f | %,.0f / %,.0f / %,.0f | %s | %.1f | %,.0f | %s"
                    + " | %.2f | %.2f | %s%n",
                    f.kind.label, f.eventsPerSecond, ratio(f.eventsPerSecond, base == null ? 0 : base.eventsPerSecond),
                    f.firstTenth, f.lastTenth, f.commitP50, f.commitP99, f.sweep[0], f.sweep[1], f.sweep[2],
                    ratio(f.sweep[2], base == null ? 0 : base.sweep[2]), f.catchUpSeconds, f.withDeferred(events),
                    ratio(f.withDeferred(events), base == null ? 0 : base.withDeferred(events)), f.cpuMicros, cpu,
                    ratio(cpu, baseCpu));
        }
        System.out.println("candidate | bulk enrollment s | x | all enrolled read back s | x | bytes on disk"
                + " | bytes per million events | x | open ms | dedupe rebuild s | keys | heap B/key | active read s"
                + " | active | x | performed p50 us | p99 us | x (p50)");
        for (Figures f : results.values()) {
            double perMillion = (f.bytes - f.bytesAfterEnrollment) / (f.stored / 1e6);
            double basePerMillion = base == null ? 0 : (base.bytes - base.bytesAfterEnrollment) / (base.stored / 1e6);
            System.out.printf("%s | %.2f | %s | %.2f | %s | %,d | %,.0f | %s | %.0f | %.2f | %,d | %.1f | %.2f | %,d | %s"
                    + " | %.1f | %.1f | %s%n",
                    f.kind.label, f.bulkSeconds, ratio(f.bulkSeconds, base == null ? 0 : base.bulkSeconds),
                    f.bulkActiveSeconds, ratio(f.bulkActiveSeconds, base == null ? 0 : base.bulkActiveSeconds), f.bytes,
                    perMillion, ratio(perMillion, basePerMillion), f.openMillis, f.dedupeSeconds, f.dedupeKeys,
                    f.dedupeBytesPerKey, f.activeSeconds, f.active, ratio(f.activeSeconds, base == null ? 0 : base.activeSeconds),
                    f.performedP50, f.performedP99, ratio(f.performedP50, base == null ? 0 : base.performedP50));
        }
        for (Figures f : results.values()) {
            if (f.extra != null) {
                System.out.println(f.kind.label + ": " + f.extra);
            }
            if (base != null && f.performedChecksum != base.performedChecksum) {
                throw new IllegalStateException(f.kind.label + " answered the performed queries differently from the baseline");
            }
        }
        if (base != null) {
            System.out.println("every candidate answered the performed queries as the baseline did");
        }
    }

    private static String ratio(double value, double base) {
        return base == 0 ? "-" : String.format("%.2fx", value / base);
    }

    private static String option(List<String> options, String name, String otherwise) {
        int at = options.indexOf(name);
        return at < 0 ? otherwise : options.get(at + 1);
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** One candidate's figures. */
    private static final class Figures {
        final CandidateKind kind;
        double bulkSeconds;
        double bulkActiveSeconds;
        double eventsPerSecond;
        double firstTenth;
        double lastTenth;
        double commitP50;
        double commitP99;
        double[] sweep;
        double catchUpSeconds;
        double cpuMicros;
        double catchUpCpuMicros;
        long handledEvents;
        long handledNanos;
        long stored;
        long bytes;
        long bytesAfterEnrollment;
        double openMillis;
        double openBytesPerEvent;
        double dedupeSeconds;
        long dedupeKeys;
        double dedupeBytesPerKey;
        double activeSeconds;
        long active;
        double performedP50;
        double performedP99;
        long performedChecksum;
        long[] storedSample;
        String extra;

        Figures(CandidateKind kind) {
            this.kind = kind;
        }

        /** The main run's rate once the work the design deferred is counted in its time. */
        double withDeferred(long events) {
            return events / (handledNanos / 1e9 + catchUpSeconds);
        }
    }

    /** Timings of one replay. */
    private static final class Ingest {
        private static final int SAMPLE_EVERY = 37;
        private static final int SAMPLE_MAX = 200_000;
        final long count;
        final long[] commitNanos;
        int commits;
        long nanos;
        /** CPU of every thread of the process while it ran, less the generation of the input. */
        long cpuNanos;
        long stored;
        long duplicates;
        double firstTenthRate;
        double lastTenthRate;
        private long firstNanos;
        private long firstEvents;
        private long lastNanos;
        private long lastEvents;
        private long seen;
        final LongArrayList sampled = new LongArrayList();

        Ingest(long count, int commitSize) {
            this.count = count;
            this.commitNanos = new long[(int) ((count + commitSize - 1) / commitSize)];
        }

        void commit(long done, int size, long took, long syncing) {
            commitNanos[commits++] = syncing;
            nanos += took;
            if (done < count / 10) {
                firstNanos += took;
                firstEvents += size;
                firstTenthRate = firstEvents / (firstNanos / 1e9);
            }
            if (done >= count - count / 10) {
                lastNanos += took;
                lastEvents += size;
                lastTenthRate = lastEvents / (lastNanos / 1e9);
            }
        }

        double rate() {
            return count / (nanos / 1e9);
        }

        /** Keeps one stored key in {@link #SAMPLE_EVERY}, for lookups of keys known to be stored. */
        void sample(List<EventStream.Generated> batches) {
            for (EventStream.Generated batch : batches) {
                for (StoredEvent event : batch.events()) {
                    if (!event.retry() && ++seen % SAMPLE_EVERY == 0 && sampled.size() < SAMPLE_MAX) {
                        sampled.add(event.fingerprint());
                    }
                }
            }
        }

        double commitPercentile(double percentile) {
            long[] sorted = Arrays.copyOf(commitNanos, commits);
            Arrays.sort(sorted);
            return sorted[Math.min(commits - 1, (int) (commits * percentile))] / 1e6;
        }
    }
}
