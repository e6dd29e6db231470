package com.conversionrules.store;

import com.conversionrules.metrics.Metrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes every job waiting, runs them in one transaction and commits once
 * (group commit), then completes their futures. A job that fails alone is rolled back to its
 * savepoint. A failed <em>engine</em> job means a shard's session has moved ahead of the store, so
 * the writer refuses everything after it until a restart rebuilds the sessions from the store.
 */
final class StoreWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final int MAX_JOBS_PER_COMMIT = 4096;

    private record Pending(WriteJob job, boolean engineState, CompletableFuture<Void> done) {
    }

    private static final Pending STOP = new Pending(connection -> { }, false, new CompletableFuture<>());

    private final Connection connection;
    private final Metrics metrics;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile Throwable broken;

    StoreWriter(Connection connection, Metrics metrics) throws SQLException {
        this.connection = connection;
        this.metrics = metrics;
        connection.setAutoCommit(false);
    }

    CompletableFuture<Void> submit(WriteJob job, boolean engineState) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Throwable failure = broken;
        if (failure != null) {
            done.completeExceptionally(new StoreUnavailableException(failure));
        } else {
            queue.add(new Pending(job, engineState, done));
        }
        return done;
    }

    boolean healthy() {
        return broken == null;
    }

    /** Commits what is queued, then ends the writer thread. */
    void stop() {
        queue.add(STOP);
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, MAX_JOBS_PER_COMMIT - 1);
            stopping = batch.remove(STOP);
            commit(batch);
            batch.clear();
        }
        closeQuietly();
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (broken != null) {
            batch.forEach(pending -> pending.done.completeExceptionally(new StoreUnavailableException(broken)));
            return;
        }
        Throwable[] failures = new Throwable[batch.size()];
        long started = System.nanoTime();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
                if (pending.engineState) {
                    // No savepoint: a failed engine job aborts the whole transaction anyway.
                    pending.job.apply(connection);
                    continue;
                }
                Savepoint savepoint = connection.setSavepoint();
                try {
                    pending.job.apply(connection);
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback(savepoint);
                    failures[i] = e;
                }
            }
            connection.commit();
            metrics.storeCommitted(System.nanoTime() - started);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (batch.stream().anyMatch(Pending::engineState)) {
                broken = e;
                LOG.error("The store failed to commit engine state; refusing writes until restart", e);
            } else {
                LOG.error("The store failed to commit", e);
            }
            batch.forEach(pending -> pending.done.completeExceptionally(new StoreUnavailableException(e)));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failures[i] == null) {
                batch.get(i).done.complete(null);
            } else {
                batch.get(i).done.completeExceptionally(failures[i]);
            }
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("Rollback failed", e);
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the writer connection failed", e);
        }
    }
}
