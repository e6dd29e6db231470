package com.conversionrules.concurrent;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;

/**
 * A queue that any thread adds to and one thread takes from in batches (a shard, the store writer):
 * the JDK's lock-free {@link LinkedTransferQueue}, taken from in batches. With a LinkedBlockingQueue
 * the event loop waited for the lock a draining shard held and was switched off its core for it: the
 * single-event service CPU fell by a fifth without (BENCHMARKS.md §2). A hand-written queue that woke
 * the taker only while it waited measured the same as this one (ad hoc, three pairs alternately).
 */
public final class SingleTakerQueue<T> {
    private final LinkedTransferQueue<T> items = new LinkedTransferQueue<>();

    public void add(T item) {
        items.add(item);
    }

    /** Adds the items in their order. */
    public void addAll(Collection<? extends T> added) {
        items.addAll(added);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Waits until there is an item, then moves it and up to {@code max - 1} more into {@code batch}. Taker only. */
    public void takeInto(List<? super T> batch, int max) throws InterruptedException {
        batch.add(items.take());
        items.drainTo(batch, max - 1);
    }

    /**
     * As {@link #takeInto(List, int)}, waiting at most {@code timeout}; false when none came in time
     * (then {@code batch} is left as it was). Taker only.
     */
    public boolean takeInto(List<? super T> batch, int max, long timeout, TimeUnit unit) throws InterruptedException {
        T first = items.poll(timeout, unit);
        if (first == null) {
            return false;
        }
        batch.add(first);
        items.drainTo(batch, max - 1);
        return true;
    }

    /** Moves every item waiting into {@code batch}, without waiting. Taker only. */
    public void drainInto(Collection<? super T> batch) {
        items.drainTo(batch);
    }
}
