package com.conversionrules.store;

/**
 * The seqs of the event log: handed out by the writer inside its transaction, made final when the
 * transaction commits, and handed out again from the last committed one when it fails. Writer thread
 * only, but for {@link #committed()}.
 */
final class EventSeqs {
    private long next;
    private volatile long committed;

    EventSeqs(long lastStored) {
        this.committed = lastStored;
        this.next = lastStored + 1;
    }

    long next() {
        return next++;
    }

    /** The transaction that took the seqs handed out so far committed. */
    void commit() {
        committed = next - 1;
    }

    /** The transaction failed: its seqs were never stored. */
    void rollback() {
        next = committed + 1;
    }

    long committed() {
        return committed;
    }
}
