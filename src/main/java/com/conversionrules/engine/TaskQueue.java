package com.conversionrules.engine;

import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A shard's queue: any thread adds, the shard's thread takes. Adding never takes a lock, and wakes
 * the shard only while it waits. A LinkedBlockingQueue here made the event loop wait for the lock
 * the shard held while draining, and switched it off its core at a time (BENCHMARKS.md §2).
 */
final class TaskQueue {
    private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
    /** The taking thread while it waits or is about to; null while it works. */
    private volatile Thread waiting;

    void add(Task task) {
        tasks.add(task);
        wake();
    }

    /** Adds the tasks in their order, waking the taker once for all of them. */
    void addAll(Collection<? extends Task> added) {
        tasks.addAll(added);
        wake();
    }

    boolean isEmpty() {
        return tasks.isEmpty();
    }

    /**
     * Waits until there is a task, then moves it and up to {@code max - 1} more into {@code batch}.
     * For one taking thread only.
     */
    void takeInto(List<Task> batch, int max) throws InterruptedException {
        Task first = tasks.poll();
        while (first == null) {
            // Announced before looking again: an adder either finds the taker here, or added before the look.
            waiting = Thread.currentThread();
            first = tasks.poll();
            if (first == null) {
                LockSupport.park(this);
            }
            waiting = null;
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        batch.add(first);
        for (int i = 1; i < max; i++) {
            Task next = tasks.poll();
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void wake() {
        Thread taker = waiting;
        if (taker != null) {
            LockSupport.unpark(taker);
        }
    }
}
