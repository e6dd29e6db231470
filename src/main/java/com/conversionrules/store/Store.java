package com.conversionrules.store;

import com.conversionrules.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store: one writer thread with group commit, and a few reader threads with a
 * connection each, so no store call ever runs on an event loop or a shard's hot path.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final int READERS = 4;

    private final Database database;
    private final StoreWriter writer;
    private final Thread writerThread;
    private final ThreadPoolExecutor readers;
    private final ThreadLocal<Connection> readerConnection = new ThreadLocal<>();
    private final BlockingQueue<Connection> openReaders = new LinkedBlockingQueue<>();

    public Store(Path dataDir) throws IOException, SQLException {
        this(dataDir, Metrics.inMemory());
    }

    public Store(Path dataDir, Metrics metrics) throws IOException, SQLException {
        this(new Database(dataDir), metrics, StoreWriter.CommitHook.NONE);
    }

    Store(Database database, Metrics metrics, StoreWriter.CommitHook hook) throws SQLException {
        this.database = database;
        this.writer = new StoreWriter(database, metrics, hook);
        this.writerThread = new Thread(writer, "store-writer");
        this.writerThread.start();
        this.readers = new ThreadPoolExecutor(READERS, READERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                runnable -> new Thread(runnable, "store-reader"));
    }

    /**
     * Queues a change for the next group commit. While the store cannot write (see
     * {@link #writable()}) it fails at once with a {@link StoreUnavailableException}.
     */
    public CompletableFuture<Void> write(WriteJob job) {
        return writer.submit(job);
    }

    /**
     * Queues a change a shard already made to its session, built on the store as it was at
     * {@code builtAt} (an {@link #epoch()}); refused if a commit failed since, as the shard built
     * it on changes the store never got.
     */
    public CompletableFuture<Void> write(WriteJob job, long builtAt) {
        return writer.submit(job, builtAt);
    }

    /** Changes each time a commit fails; engine state built at an older epoch predates a failure. */
    public long epoch() {
        return writer.epoch();
    }

    /** Completes once every write queued before it is committed. */
    public CompletableFuture<Void> flush() {
        return writer.submit(connection -> { });
    }

    /** Runs the read on a reader thread; after {@link #close()} the future fails instead. */
    public <T> CompletableFuture<T> read(ReadJob<T> job) {
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

    /** A connection of its own for a thread that reads on its own schedule (a shard's dedupe check). */
    public Connection openReader() throws SQLException {
        Connection connection = database.open();
        openReaders.add(connection);
        return connection;
    }

    /** False from a failed commit until a write succeeds again; writes then fail at once. */
    public boolean writable() {
        return writer.writable();
    }

    /** How long the store has been unable to write, in nanoseconds; 0 while it writes. */
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
        readers.shutdown();
        try {
            readers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : openReaders) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("Closing a reader connection failed", e);
            }
        }
    }
}
