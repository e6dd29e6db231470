package com.conversionrules.store;

import com.conversionrules.model.UserEvent;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;

/**
 * The seqs of the event log: handed out by the writer inside its transaction, made final when the
 * transaction commits, and handed out again from the last committed one when it fails. Beside each
 * seq it keeps what the performed-event index needs of the event, so a commit hands the index its
 * events from memory instead of the index reading them back from the log. Writer thread only, but
 * for {@link #committed()}.
 */
final class EventSeqs {
    private long next;
    private volatile long committed;
    private final LongArrayList seqs = new LongArrayList();
    private final LongArrayList times = new LongArrayList();
    private final ObjectArrayList<String> users = new ObjectArrayList<>();
    private final ObjectArrayList<String> names = new ObjectArrayList<>();

    EventSeqs(long lastStored) {
        this.committed = lastStored;
        this.next = lastStored + 1;
    }

    /** The seq of an event the transaction stores. */
    long next(UserEvent event) {
        long seq = next++;
        seqs.add(seq);
        times.add(event.getTime());
        users.add(event.getUserId());
        names.add(event.getName());
        return seq;
    }

    /** Where a part of the transaction starts, for {@link #undoSince}. */
    int mark() {
        return seqs.size();
    }

    /** A part of the transaction was rolled back to its savepoint: its events were not stored (seqs stay unused). */
    void undoSince(int mark) {
        seqs.size(mark);
        times.size(mark);
        users.size(mark);
        names.size(mark);
    }

    /** The transaction that took the seqs handed out so far committed: returns its events. */
    CommittedEvents commit() {
        CommittedEvents events = new CommittedEvents(committed, next - 1, seqs.toLongArray(), times.toLongArray(),
                users.toArray(new String[0]), names.toArray(new String[0]));
        committed = next - 1;
        clear();
        return events;
    }

    /** The transaction failed: its seqs were never stored. */
    void rollback() {
        next = committed + 1;
        clear();
    }

    long committed() {
        return committed;
    }

    private void clear() {
        seqs.clear();
        times.clear();
        users.clear();
        names.clear();
    }

    /**
     * The events of one commit, which made the log hold every seq in ({@code after}, {@code upTo}];
     * seqs in that range without an event here were never used.
     */
    record CommittedEvents(long after, long upTo, long[] seqs, long[] times, String[] users, String[] names) {
        int size() {
            return seqs.length;
        }
    }
}
