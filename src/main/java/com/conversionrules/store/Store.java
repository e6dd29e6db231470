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
        this.database = new Database(dataDir);
        this.writer = new StoreWriter(database.open(), metrics);
        this.writerThread = new Thread(writer, "store-writer");
        this.writerThread.start();
        this.readers = new ThreadPoolExecutor(READERS, READERS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                runnable -> new Thread(runnable, "store-reader"));
    }

    /**
     * Queues a change for the next group commit. {@code engineState} marks changes a shard already
     * applied to its session: if one fails the store stops taking writes (see {@link StoreWriter}).
     */
    public CompletableFuture<Void> write(WriteJob job, boolean engineState) {
        return writer.submit(job, engineState);
    }

    /** Completes once every write queued before it is committed. */
    public CompletableFuture<Void> flush() {
        return writer.submit(connection -> { }, false);
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

    public boolean healthy() {
        return writer.healthy();
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
