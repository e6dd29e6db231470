package com.conversionrules.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log into the database file beside the writer, every 100 ms, without
 * holding it (a passive checkpoint). The writer's own automatic checkpoint, run inside the commit
 * that passes 64 MB of log, then finds little left to copy, and the requests waiting on that commit
 * no longer wait for the whole copy: with it, bench/latency.sh at 10,000 events/s gave exit p99s of
 * 31-51 ms (52-99 ms without), and the 100-event flood of bench/http-ingestion.sh a p99 of 55-57 ms
 * (77-96 ms). This thread alone, restarting the log itself once it passed 64 MB, made the flood's
 * p99 166-221 ms instead (that restart holds the writer; which part of it cost most was not measured). The automatic checkpoint stays: only a checkpoint that no commit overtakes lets the
 * next commit start the log over, and the writer's own is one.
 */
final class Checkpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** What one checkpoint reports: whether it was blocked, the log's frames, and how many are copied. */
    record Outcome(boolean busy, long logFrames, long copiedFrames) {
    }

    private final Connection connection;
    private final Thread thread;
    private volatile boolean running = true;
    private boolean warned;

    Checkpointer(Database database) throws SQLException {
        this.connection = database.open();
        this.thread = new Thread(this::run, "store-checkpointer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(INTERVAL_NANOS);
            try {
                checkpointOnce();
                warned = false;
            } catch (SQLException e) {
                // The writer's own checkpoint still bounds the log; the next round tries again.
                if (!warned) {
                    LOG.warn("A checkpoint of the store's log failed ({}); trying again", e.getMessage());
                    warned = true;
                }
            }
        }
    }

    /** Copies what is committed into the database file, as far as readers allow. */
    Outcome checkpointOnce() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            row.next();
            return new Outcome(row.getInt(1) != 0, row.getLong(2), row.getLong(3));
        }
    }

    @Override
    public void close() {
        running = false;
        BackgroundThreads.awaitEnd(thread);
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the checkpointer's connection failed", e);
        }
    }
}
