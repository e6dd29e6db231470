package com.conversionrules.store;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.FailedEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store on SQLite: one writer thread with group commit, and a few reader threads with
 * a connection each, so no store call ever runs on an event loop or a shard's hot path. What it
 * offers is typed ({@link EngineStore}, {@link ReadModel}, {@link PositionedExits}, {@link Outbox});
 * SQL stays in this package.
 */
public final class Store implements EngineStore, ReadModel, PositionedExits, Outbox, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final int READERS = 4;

    private final Database database;
    private final StoreWriter writer;
    private final PerformedIndex performed;
    /** The event log's seqs, handed out inside the writer's transactions. */
    private final EventSeqs seqs;
    /** The writer's prepared statements for engine changes; writer thread only. */
    private WriterStatements writerStatements;
    private final Thread writerThread;
    private final Checkpointer checkpointer;
    private final ThreadPoolExecutor readers;
    private final ScheduledExecutorService retentionTimer = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "event-retention"));
    private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
    private final BlockingQueue<Connection> openReaders = new LinkedBlockingQueue<>();
    /** The endpoints of this start, each of which gets a delivery of every exit stored from now on. */
    private volatile List<String> endpoints = List.of();

    public Store(Path dataDir) throws IOException, SQLException {
        this(dataDir, Metrics.inMemory());
    }

    public Store(Path dataDir, Metrics metrics) throws IOException, SQLException {
        this(new Database(dataDir), metrics, StoreWriter.CommitHook.NONE);
    }

    /**
     * Keeps events for {@code retention} (by when they were received): once an hour, older ones
     * leave the event log, and with them what performed-event queries and replays can see.
     */
    public Store(Path dataDir, Metrics metrics, Duration retention) throws IOException, SQLException {
        this(new Database(dataDir), metrics, StoreWriter.CommitHook.NONE, retention);
        retentionTimer.scheduleWithFixedDelay(() -> dropEventsBefore(System.currentTimeMillis() - retention.toMillis()),
                1, 60, TimeUnit.MINUTES);
    }

    /** Drops the events received before {@code cutoff}; completes with how many went. */
    public CompletableFuture<Integer> dropEventsBefore(long cutoff) {
        int[] dropped = {0};
        long[] firstKept = {0};
        return write(connection -> {
            dropped[0] = EventRecords.dropBefore(connection, cutoff);
            if (dropped[0] > 0) {
                firstKept[0] = EventRecords.firstSeq(connection, seqs.committed() + 1);
                HistoryRecords.droppedBefore(connection, cutoff, firstKept[0]);
            }
        }).thenApply(done -> {
            if (dropped[0] > 0) {
                performed.keepFrom(firstKept[0]);
                LOG.info("Dropped {} events received before {} (EVENT_RETENTION)", dropped[0],
                        java.time.Instant.ofEpochMilli(cutoff));
            }
            return dropped[0];
        });
    }

    Store(Database database, Metrics metrics, StoreWriter.CommitHook hook) throws SQLException {
        this(database, metrics, hook, Duration.ZERO);
    }

    private Store(Database database, Metrics metrics, StoreWriter.CommitHook hook, Duration retention)
            throws SQLException {
        this.database = database;
        long lastEvent;
        long firstEvent;
        try (Connection connection = database.open()) {
            // Never below a seq retention dropped, even once it emptied the log: the index still holds those.
            lastEvent = Math.max(EventRecords.lastSeq(connection), HistoryRecords.firstKeptSeq(connection) - 1);
            firstEvent = EventRecords.firstSeq(connection, lastEvent + 1);
        }
        this.performed = new PerformedIndex(database.dataDir(), database, retention);
        performed.start(lastEvent, firstEvent);
        this.seqs = new EventSeqs(lastEvent);
        this.writer = new StoreWriter(database, metrics, hook, seqs, performed::committed);
        this.writerThread = new Thread(writer, "store-writer");
        this.writerThread.start();
        this.checkpointer = new Checkpointer(database);
        checkpointer.start();
        this.readers = new ThreadPoolExecutor(READERS, READERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                runnable -> new Thread(runnable, "store-reader"));
    }

    /**
     * Queues a change for the next group commit. While the store cannot write (see
     * {@link #writable()}) it fails at once with a {@link StoreUnavailableException}.
     */
    CompletableFuture<Void> write(WriteJob job) {
        return writer.submit(job);
    }

    // ---- what the engine needs

    @Override
    public CompletableFuture<List<Campaign>> campaigns() {
        return read(CampaignRecords::all);
    }

    @Override
    public CompletableFuture<List<Enrollment>> activeEnrollments() {
        return read(connection -> {
            List<Enrollment> enrollments = new ArrayList<>();
            EnrollmentRecords.forEachActive(connection, enrollments::add);
            return enrollments;
        });
    }

    @Override
    public CompletableFuture<Void> forEachActiveEnrollment(int chunkSize, Consumer<List<Enrollment>> chunks) {
        return read(connection -> {
            List<Enrollment> chunk = new ArrayList<>(chunkSize);
            EnrollmentRecords.forEachActive(connection, enrollment -> {
                chunk.add(enrollment);
                if (chunk.size() == chunkSize) {
                    chunks.accept(List.copyOf(chunk));
                    chunk.clear();
                }
            });
            if (!chunk.isEmpty()) {
                chunks.accept(List.copyOf(chunk));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> recentEventKeys(long since, EventKeySink sink) {
        return read(connection -> {
            EventRecords.forEachKeySince(connection, since, sink);
            return null;
        });
    }

    @Override
    public EnrollmentIndex openEnrollmentIndex() {
        try {
            return new SqliteEnrollmentIndex(openReader());
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /** A reader of the past for one replay, on a connection of its own (closed with the history). */
    public EventHistory openEventHistory() {
        try {
            return new SqliteEventHistory(database.open());
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    /**
     * The history of a data directory the service may be running on, read only (the analysts'
     * command); refused with what to do when there is none, or it predates this version.
     */
    public static EventHistory readHistory(Path dataDir) {
        try {
            return SqliteEventHistory.readOnly(dataDir);
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Void> commit(ChangeBatch batch, long builtAt) {
        List<String> fanOut = endpoints;
        return writer.submit(connection -> {
            writerStatements = WriterStatements.of(connection, writerStatements);
            SqliteChanges.apply(writerStatements, batch, fanOut, seqs);
        }, builtAt);
    }

    @Override
    public long epoch() {
        return writer.epoch();
    }

    @Override
    public CompletableFuture<Void> flush() {
        return writer.submit(connection -> { });
    }

    // ---- what the API reads

    @Override
    public CompletableFuture<List<StoredExit>> exitsAfter(long after, int limit) {
        return read(connection -> ExitRecords.page(connection, after, limit));
    }

    @Override
    public CompletableFuture<Optional<EnrollmentState>> enrollment(String campaignId, String userId) {
        return read(connection -> EnrollmentRecords.current(connection, campaignId, userId));
    }

    @Override
    public CompletableFuture<Optional<StoredExit>> exit(String id) {
        return read(connection -> ExitRecords.find(connection, id));
    }

    @Override
    public CompletableFuture<CampaignStats> stats(String campaignId) {
        return read(connection -> EnrollmentRecords.stats(connection, campaignId));
    }

    @Override
    public CompletableFuture<CampaignReport> report(String campaignId) {
        return read(connection -> EnrollmentRecords.report(connection, campaignId));
    }

    /** Answered once the index has every event committed before the question: a client reads its own writes. */
    @Override
    public CompletableFuture<Performed> performed(String userId, String eventName, long since) {
        return this.performed.caughtUp()
                .thenCompose(indexed -> read(connection -> this.performed.performed(userId, eventName, since)));
    }

    @Override
    public CompletableFuture<List<UserEnrollment>> enrollmentsOf(String userId, int limit) {
        return read(connection -> EnrollmentRecords.ofUser(connection, userId, limit));
    }

    @Override
    public CompletableFuture<List<FailedEvent>> failedEventsAfter(long after, int limit) {
        return read(connection -> FailedEventRecords.page(connection, after, limit));
    }

    @Override
    public CompletableFuture<List<EndpointReport>> endpoints() {
        return read(connection -> {
            Map<String, Backlog> backlog = DeliveryRecords.backlog(connection);
            return EndpointRecords.all(connection).stream().map(endpoint -> new EndpointReport(endpoint,
                    backlog.getOrDefault(endpoint.name(), new Backlog(0, 0)))).toList();
        });
    }

    @Override
    public CompletableFuture<List<PositionedExit>> exitsAfter(long[] after, int limit) {
        return read(connection -> ExitPositions.page(connection, after, limit));
    }

    @Override
    public CompletableFuture<long[]> conversionsOverTime(String campaignId, long from, long bucketMillis, int buckets) {
        return read(connection -> ExitRecords.conversionsOverTime(connection, campaignId, from, bucketMillis, buckets));
    }

    @Override
    public CompletableFuture<List<ExplainedExit>> latestExits(String campaignId, int limit) {
        return read(connection -> ExitRecords.latestOf(connection, campaignId, limit));
    }

    // ---- what the sender needs

    @Override
    public CompletableFuture<Set<String>> configureEndpoints(List<ConfiguredEndpoint> configured) {
        CompletableFuture<Set<String>> disabled = new CompletableFuture<>();
        return write(connection -> disabled.complete(EndpointRecords.sync(connection, configured)))
                .thenCompose(written -> {
                    endpoints = configured.stream().map(ConfiguredEndpoint::name).toList();
                    return disabled;
                });
    }

    @Override
    public CompletableFuture<Map<String, DueDeliveries>> due(Map<String, DueRequest> requests, long now) {
        return read(connection -> {
            Map<String, DueDeliveries> due = new HashMap<>();
            for (Map.Entry<String, DueRequest> asked : requests.entrySet()) {
                String name = asked.getKey();
                DueRequest request = asked.getValue();
                List<DueDelivery> retries = request.retriesAfter() == null ? List.of()
                        : DeliveryRecords.retries(connection, name, request.retriesAfter(), now, request.limit());
                List<DueDelivery> fresh = request.freshAfter() == null ? List.of()
                        : DeliveryRecords.fresh(connection, name, request.freshAfter(), request.limit());
                Long nextRetryAt = request.retriesAfter() == null ? null : DeliveryRecords.nextRetryAt(connection, name, now);
                due.put(name, new DueDeliveries(retries, fresh, nextRetryAt));
            }
            return due;
        });
    }

    @Override
    public CompletableFuture<Void> record(List<DeliveryResult> results) {
        return write(connection -> DeliveryRecords.record(connection, results));
    }

    /** Runs the read on a reader thread; after {@link #close()} the future fails instead. */
    <T> CompletableFuture<T> read(ReadJob<T> job) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return job.apply(readerConnection());
                } catch (SQLException e) {
                    throw new StoreUnavailableException(e);
                }
            }, readers);
        } catch (RejectedExecutionException e) {
            // A timer that fires during shutdown must not throw on its event loop.
            return CompletableFuture.failedFuture(new StoreUnavailableException(e));
        }
    }

    /** A reader's connection to the store's tables. */
    Connection openReader() throws SQLException {
        Connection connection = database.open();
        openReaders.add(connection);
        return connection;
    }

    @Override
    public boolean writable() {
        return writer.writable();
    }

    @Override
    public long failingNanos() {
        return writer.failingNanos();
    }

    private Connection readerConnection() throws SQLException {
        Connection connection = readerConnection.get();
        if (connection == null) {
            connection = openReader();
            readerConnection.set(connection);
        }
        return connection;
    }

    /** Commits what is queued, then closes every connection. */
    @Override
    public void close() {
        writer.stop();
        try {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retentionTimer.shutdownNow();
        checkpointer.close();
        readers.shutdown();
        try {
            readers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the readers: a query still running must not find the index closed under it.
        performed.close();
        for (Connection connection : openReaders) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("Closing a reader connection failed", e);
            }
        }
    }
}
