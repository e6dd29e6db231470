package com.conversionrules.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index behind performed-event queries ("has user U done E since T"), kept off the hot path:
 * the store writer hands each commit's events to a thread of its own, which writes them to
 * {@link PerformedFile}. When that thread falls behind by more than {@link #QUEUED_EVENTS_MAX}, or
 * at start for what the file lacks, it reads the events from the log instead. A query first waits
 * until the index has passed every event committed before the query came, so a client reads its
 * own writes.
 */
final class PerformedIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PerformedIndex.class);
    /** The SQLite file this index lived in before; derived, so it is deleted and rebuilt. */
    static final String OLD_FILE_NAME = "performed.db";
    private static final int CHUNK = 100_000;
    /** Events handed over and not yet indexed, at most: about 100 bytes each, so 100 MB at worst. */
    static final long QUEUED_EVENTS_MAX = 1_000_000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * While no query waits, events gather this long (or to a chunk): a bigger sorted write costs
     * RocksDB less per entry. A query that waits has them written at once.
     */
    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Path dataDir;
    private final Database database;
    private final Duration retention;
    private final long queuedEventsMax;
    private final Thread thread;
    private final Queue<EventSeqs.CommittedEvents> handedOver = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedEvents = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentSkipListMap<>();
    private PerformedFile file;
    private volatile long committed;
    private volatile long indexed;
    private volatile long firstKept;
    private volatile boolean running = true;
    private volatile boolean opened;
    private volatile StoreUnavailableException failure;

    PerformedIndex(Path dataDir, Database database, Duration retention) {
        this(dataDir, database, retention, QUEUED_EVENTS_MAX);
    }

    /** With how many handed-over events may wait (a test makes it small). */
    PerformedIndex(Path dataDir, Database database, Duration retention, long queuedEventsMax) {
        this.dataDir = dataDir;
        this.database = database;
        this.retention = retention;
        this.queuedEventsMax = queuedEventsMax;
        this.thread = new Thread(this::run, "performed-indexer");
    }

    /** Starts indexing: the log holds seqs from {@code firstKept} to {@code committedAtStart}. */
    void start(long committedAtStart, long firstKept) {
        if (committedAtStart > committed) {
            committed = committedAtStart;
        }
        this.firstKept = firstKept;
        thread.start();
    }

    /** A commit made these events durable: they are indexed from memory unless too many wait already. */
    void committed(EventSeqs.CommittedEvents events) {
        if (events.size() > 0 && queuedEvents.get() + events.size() <= queuedEventsMax) {
            queuedEvents.addAndGet(events.size());
            handedOver.add(events);
        }
        // After the hand-over: a thread that sees the new mark finds the events queued, or reads the log.
        if (events.upTo() > committed) {
            committed = events.upTo();
        }
    }

    /** The log no longer holds events before {@code seq}: queries stop counting them. */
    void keepFrom(long seq) {
        firstKept = seq;
    }

    /** Completes once every event committed before this call is indexed; fails once the index has stopped. */
    CompletableFuture<Void> caughtUp() {
        long target = committed;
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        if (opened && indexed >= target) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = waiting.computeIfAbsent(target, seq -> new CompletableFuture<>());
        if (failure != null) {
            done.completeExceptionally(failure);
        } else if (opened && indexed >= target) {
            done.complete(null);
        }
        LockSupport.unpark(thread);
        return done;
    }

    /** How often the user did the event since a time, and when last; blocking (a reader's thread). Once {@link #caughtUp}. */
    Performed performed(String userId, String name, long since) {
        return file.performed(userId, name, since, firstKept);
    }

    /**
     * Opens the index, on its own thread so that loading RocksDB (about 0.1 s) does not delay the
     * start; one that does not open is replaced and rebuilt from the log.
     */
    private void open() throws SQLException {
        try {
            Files.deleteIfExists(dataDir.resolve(OLD_FILE_NAME));
            Files.deleteIfExists(dataDir.resolve(OLD_FILE_NAME + "-wal"));
            Files.deleteIfExists(dataDir.resolve(OLD_FILE_NAME + "-shm"));
            try {
                file = PerformedFile.open(dataDir, retention);
            } catch (RocksDBException e) {
                LOG.warn("The performed-event index does not open ({}); rebuilding it from the event log", e.getMessage());
                PerformedFile.destroy(dataDir);
                file = PerformedFile.open(dataDir, retention);
            }
            indexed = file.indexed();
            opened = true;
        } catch (RocksDBException | java.io.IOException e) {
            throw new SQLException("cannot open the performed-event index under " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private void run() {
        try (Connection log = database.open()) {
            open();
            completeWaiting();
            long lastWrite = System.nanoTime();
            while (running) {
                long backlog = committed - indexed;
                if (backlog <= 0 || (backlog < CHUNK && waiting.isEmpty()
                        && System.nanoTime() - lastWrite < GATHER_NANOS)) {
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                lastWrite = System.nanoTime();
                indexed = indexSome(log);
                completeWaiting();
            }
        } catch (SQLException | RocksDBException | RuntimeException e) {
            LOG.error("The performed-event index stopped ({}); performed-event queries fail until a restart rebuilds it",
                    e.toString());
            failure = new StoreUnavailableException(e);
            waiting.values().forEach(future -> future.completeExceptionally(failure));
        }
    }

    /** Indexes a chunk's worth of what was committed, from memory where it can; returns how far the index got. */
    private long indexSome(Connection log) throws SQLException, RocksDBException {
        long upTo = indexed;
        PerformedFile.Batch batch = file.batch();
        while (batch.size() < CHUNK) {
            EventSeqs.CommittedEvents events = handedOver.peek();
            if (events != null && events.upTo() <= upTo) {
                taken(events); // read from the log already
            } else if (events != null && events.after() <= upTo) {
                for (int i = 0; i < events.size(); i++) {
                    if (events.seqs()[i] > upTo) {
                        batch.add(events.seqs()[i], events.users()[i], events.names()[i], events.times()[i]);
                    }
                }
                upTo = events.upTo();
                taken(events);
            } else {
                // Not handed over (too many queued, or committed before the start): the log has them.
                long until = events != null ? events.after() : committed;
                if (until <= upTo) {
                    break;
                }
                upTo = readLog(log, upTo, until, batch);
            }
        }
        batch.write(upTo);
        return upTo;
    }

    private void taken(EventSeqs.CommittedEvents events) {
        handedOver.poll();
        queuedEvents.addAndGet(-events.size());
    }

    /** Adds the log's events after {@code after} up to {@code until}, about a chunk at most; returns the last seq covered. */
    private static long readLog(Connection log, long after, long until, PerformedFile.Batch batch) throws SQLException {
        return EventRecords.forEachEvent(log, after, until, CHUNK,
                (seq, userId, id, name, time, campaignId, properties) -> batch.add(seq, userId, name, time));
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
        boolean ended = BackgroundThreads.awaitEnd(thread);
        waiting.values().forEach(future -> future.completeExceptionally(
                new StoreUnavailableException(new IllegalStateException("the store is closing"))));
        if (file != null && ended) {
            file.close();
        }
    }
}
