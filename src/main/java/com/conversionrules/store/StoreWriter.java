package com.conversionrules.store;

import com.conversionrules.concurrent.SingleTakerQueue;
import com.conversionrules.metrics.Metrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: takes every job waiting, runs them in one transaction and commits once (group
 * commit), then completes their futures. A job that fails alone is rolled back to its savepoint and
 * fails its own caller; a shard's job (engine state) that fails fails the commit, as below.
 *
 * <p>A commit that fails (disk full, I/O error) fails every job in it, and the store turns
 * unwritable: jobs fail at once instead of waiting, and engine jobs built before the failure are
 * refused even once it passes (their shard's session has moved ahead of the store and is rebuilt
 * from it). Every {@link #PROBE_MILLIS} the writer tries a small write; the first that commits
 * makes the store writable again, without a restart.
 */
final class StoreWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final int MAX_JOBS_PER_COMMIT = 4096;
    static final long PROBE_MILLIS = 1_000;

    /** Lets a test make a commit fail the way a full disk does; none in the service. */
    interface CommitHook {
        CommitHook NONE = () -> { };

        void beforeCommit() throws SQLException;
    }

    private record Pending(WriteJob job, long epoch, CompletableFuture<Void> done) {
    }

    private static final Pending STOP = new Pending(connection -> { }, -1, new CompletableFuture<>());
    private static final long ANY_EPOCH = -1;

    private final Database database;
    private final Metrics metrics;
    private final CommitHook hook;
    private final EventSeqs seqs;
    /** Told the events each commit made durable. */
    private final Consumer<EventSeqs.CommittedEvents> eventsCommitted;
    private final SingleTakerQueue<Pending> queue = new SingleTakerQueue<>();
    private Connection connection;
    /** Counts failed commits: engine state built at an older epoch predates a failure. */
    private volatile long epoch;
    private volatile Throwable failure;
    private volatile long failingSinceNanos;

    StoreWriter(Database database, Metrics metrics, CommitHook hook, EventSeqs seqs,
                Consumer<EventSeqs.CommittedEvents> eventsCommitted)
            throws SQLException {
        this.database = database;
        this.seqs = seqs;
        this.eventsCommitted = eventsCommitted;
        this.metrics = metrics;
        this.hook = hook;
        this.connection = open();
    }

    private Connection open() throws SQLException {
        Connection opened = database.open();
        opened.setAutoCommit(false);
        return opened;
    }

    /** A change for the next group commit; fails at once while the store cannot write. */
    CompletableFuture<Void> submit(WriteJob job) {
        return submit(job, ANY_EPOCH);
    }

    /**
     * A change to engine state made at {@code builtAt} (see {@link #epoch()}): refused if a commit
     * failed since, because the shard built it on changes the store never got.
     */
    CompletableFuture<Void> submit(WriteJob job, long builtAt) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Throwable current = failure;
        if (current != null) {
            done.completeExceptionally(new StoreUnavailableException(current));
        } else {
            queue.add(new Pending(job, builtAt, done));
        }
        return done;
    }

    long epoch() {
        return epoch;
    }

    boolean writable() {
        return failure == null;
    }

    /** How long the store has been unable to write, in nanoseconds; 0 while it writes. */
    long failingNanos() {
        return failure == null ? 0 : Math.max(1, System.nanoTime() - failingSinceNanos);
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
                if (failure == null) {
                    queue.takeInto(batch, MAX_JOBS_PER_COMMIT);
                } else if (!queue.takeInto(batch, MAX_JOBS_PER_COMMIT, PROBE_MILLIS, TimeUnit.MILLISECONDS)) {
                    probe();
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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
        if (failure != null) {
            batch.forEach(pending -> pending.done.completeExceptionally(new StoreUnavailableException(failure)));
            return;
        }
        Throwable[] failures = new Throwable[batch.size()];
        long started = System.nanoTime();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
                if (pending.epoch != ANY_EPOCH) {
                    if (pending.epoch < epoch) {
                        failures[i] = new StoreUnavailableException(new SQLException(
                                "the change was made on engine state from before a failed write"));
                    } else {
                        // No savepoint: the shard's later batches build on this one, so if it cannot
                        // be written the whole commit fails and every shard starts again from the store.
                        pending.job.apply(connection);
                    }
                    continue;
                }
                Savepoint savepoint = connection.setSavepoint();
                int mark = seqs.mark();
                try {
                    pending.job.apply(connection);
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback(savepoint);
                    seqs.undoSince(mark);
                    failures[i] = e;
                }
            }
            hook.beforeCommit();
            connection.commit();
            metrics.storeCommitted(System.nanoTime() - started);
            eventsCommitted.accept(seqs.commit());
        } catch (SQLException | RuntimeException e) {
            seqs.rollback();
            failed(e);
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

    private void failed(Throwable e) {
        rollbackQuietly();
        epoch++;
        failingSinceNanos = System.nanoTime();
        failure = e;
        LOG.error("The store could not commit ({}); requests are refused with 503 until a write succeeds again, "
                + "tried every {} ms", e.getMessage(), PROBE_MILLIS);
        // Whatever waited behind the failed commit was built before it: refuse it too.
        List<Pending> waiting = new ArrayList<>();
        queue.drainInto(waiting);
        for (Pending pending : waiting) {
            if (pending == STOP) {
                queue.add(STOP);
            } else {
                pending.done.completeExceptionally(new StoreUnavailableException(e));
            }
        }
    }

    /** A small real write: when it commits, the disk takes writes again. */
    private void probe() {
        try {
            if (connection == null) {
                connection = open();
            }
            StoreProbe.touch(connection);
            hook.beforeCommit();
            connection.commit();
            LOG.info("The store writes again after {} ms; requests are taken again",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSinceNanos));
            failure = null;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            // A connection left broken by the failure would never recover: start the next try afresh.
            closeQuietly();
            connection = null;
        }
    }

    private void rollbackQuietly() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            // After SQLITE_FULL or an I/O error SQLite has often rolled back already: nothing is lost.
            LOG.debug("Rollback after a failed commit: {}", e.getMessage());
        }
    }

    private void closeQuietly() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the writer connection failed", e);
        }
    }
}
