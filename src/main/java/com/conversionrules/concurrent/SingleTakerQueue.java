package com.conversionrules.concurrent;

import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A queue that any thread adds to and one thread takes from in batches (a shard, the store writer).
 * Adding never takes a lock, and wakes the taker only while it waits. With a LinkedBlockingQueue the
 * event loop waited for the lock a draining shard held and was switched off its core for it: the
 * single-event service CPU fell by a fifth without (BENCHMARKS.md §2).
 */
public final class SingleTakerQueue<T> {
    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    /** The taking thread while it waits or is about to; null while it works. */
    private volatile Thread waiting;

    public void add(T item) {
        items.add(item);
        wake();
    }

    /** Adds the items in their order, waking the taker once for all of them. */
    public void addAll(Collection<? extends T> added) {
        items.addAll(added);
        wake();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Waits until there is an item, then moves it and up to {@code max - 1} more into {@code batch}. Taker only. */
    public void takeInto(List<? super T> batch, int max) throws InterruptedException {
        takeInto(batch, max, Long.MAX_VALUE);
    }

    /**
     * As {@link #takeInto(List, int)}, waiting at most {@code timeout}; false when none came in time
     * (then {@code batch} is left as it was). Taker only.
     */
    public boolean takeInto(List<? super T> batch, int max, long timeout, TimeUnit unit) throws InterruptedException {
        return takeInto(batch, max, unit.toNanos(timeout));
    }

    /** Moves every item waiting into {@code batch}, without waiting. Taker only. */
    public void drainInto(Collection<? super T> batch) {
        for (T item = items.poll(); item != null; item = items.poll()) {
            batch.add(item);
        }
    }

    private boolean takeInto(List<? super T> batch, int max, long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos == Long.MAX_VALUE ? 0 : System.nanoTime() + timeoutNanos;
        T first = items.poll();
        while (first == null) {
            long left = deadline == 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Announced before looking again: an adder either finds the taker here, or added before the look.
            waiting = Thread.currentThread();
            first = items.poll();
            if (first == null) {
                if (left == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, left);
                }
            }
            waiting = null;
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        batch.add(first);
        for (int i = 1; i < max; i++) {
            T next = items.poll();
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        return true;
    }

    private void wake() {
        Thread taker = waiting;
        if (taker != null) {
            LockSupport.unpark(taker);
        }
    }
}
