package com.conversionrules.sender;

import com.conversionrules.model.Exit;
import com.conversionrules.store.DuePosition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint's side of the sender: where its never-tried deliveries are to be found ({@link Mode}),
 * the queue of deliveries waiting for one of its slots, and its places in the outbox: the last
 * never-tried delivery read while catching up, and the last retry read. Used on the sender's context
 * thread only.
 */
final class Lane {
    /** Where an endpoint's never-tried deliveries are to be found. */
    enum Mode {
        /**
         * The outbox may hold some that memory lacks (at start; after more came than memory holds):
         * they are read in the order they were stored until a read comes back short, while exits
         * handed over are let go, unless a read is under way (it may have missed them).
         */
        BEHIND,
        /** Memory holds them all: exits handed over are queued and sent without reading the store. */
        LIVE,
        /** It answered 410 Gone: nothing more goes to it until its URL changes (and the service restarts). */
        DISABLED
    }

    /** Exits handed over while a read of never-tried deliveries was under way, up to a bound. */
    private static final class Arrivals {
        private final List<Exit> exits = new ArrayList<>();
        private boolean complete = true;
    }

    private final SignedEndpoint endpoint;
    private final int arrivalsBound;
    /** Volatile for the metric that shows it; only the sender's context changes it. */
    private volatile Mode mode;
    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private long freshCursor;
    /** Non-null while a read of this lane's never-tried deliveries is under way. */
    private Arrivals arrivals;
    private DuePosition retryCursor = DuePosition.START;
    /** When the lane's next retry is due: 0 at start (unknown: read now), Long.MAX_VALUE when none waits. */
    private long retriesDueAt;

    /** @param arrivalsBound exits handed over during one read that are kept; past it the read cannot catch up */
    Lane(SignedEndpoint endpoint, boolean disabled, int arrivalsBound) {
        this.endpoint = endpoint;
        this.arrivalsBound = arrivalsBound;
        this.mode = disabled ? Mode.DISABLED : Mode.BEHIND;
    }

    String name() {
        return endpoint.name();
    }

    SignedEndpoint endpoint() {
        return endpoint;
    }

    Mode mode() {
        return mode;
    }

    ArrayDeque<Delivery> queue() {
        return queue;
    }

    // ---- never-tried deliveries

    /** More came than memory holds: the rest are in the outbox only, from the first delivery on. */
    void fallBehind() {
        if (mode == Mode.LIVE) {
            mode = Mode.BEHIND;
            freshCursor = 0;
        } else if (mode == Mode.BEHIND && arrivals != null) {
            arrivals.complete = false;
        }
    }

    /** 410 Gone: returns what was queued, to be let go; results of attempts in flight are still recorded. */
    List<Delivery> disable() {
        mode = Mode.DISABLED;
        arrivals = null;
        List<Delivery> dropped = new ArrayList<>(queue);
        queue.clear();
        return dropped;
    }

    long freshCursor() {
        return freshCursor;
    }

    /** A read of never-tried deliveries after {@link #freshCursor()} starts. */
    void freshReadStarted() {
        arrivals = new Arrivals();
    }

    /** An exit handed over while {@link Mode#BEHIND}: kept if a read is under way, else the next read finds it. */
    void arrived(Exit exit) {
        if (arrivals == null || !arrivals.complete) {
            return;
        }
        if (arrivals.exits.size() < arrivalsBound) {
            arrivals.exits.add(exit);
        } else {
            arrivals.complete = false;
            arrivals.exits.clear();
        }
    }

    /**
     * The read came back: the cursor moves to the last delivery it found. A short read found every
     * delivery stored before it started, and with the exits handed over meanwhile memory has them
     * all: the lane is {@link Mode#LIVE}, and those exits are returned to be queued.
     */
    List<Exit> freshRead(long lastSeq, boolean shortRead) {
        Arrivals during = arrivals;
        arrivals = null;
        freshCursor = Math.max(freshCursor, lastSeq);
        if (mode != Mode.BEHIND || !shortRead || during == null || !during.complete) {
            return List.of();
        }
        mode = Mode.LIVE;
        return during.exits;
    }

    /** The read failed: whatever came meanwhile is found by the next one. */
    void freshReadFailed() {
        arrivals = null;
    }

    // ---- retries

    long retriesDueAt() {
        return retriesDueAt;
    }

    DuePosition retryCursor() {
        return retryCursor;
    }

    /** A failed attempt's result is committed: it is due again at {@code at}. */
    void retryAt(long at) {
        retriesDueAt = Math.min(retriesDueAt, at);
    }

    /** A read of due retries starts: failures recorded meanwhile bring the next read forward. */
    void retriesReadStarted() {
        retriesDueAt = Long.MAX_VALUE;
    }

    /**
     * The read came back. A full read may have left more due: read on from where it stopped. A short
     * one found all that were due: the next read starts from the beginning again (a delivery skipped
     * as held in memory is then read again, and a clock set back cannot hide one) at {@code nextDueAt}.
     */
    void retriesRead(DuePosition last, boolean fullRead, long now, Long nextDueAt) {
        if (fullRead) {
            retryCursor = last;
            retryAt(now);
        } else {
            retryCursor = DuePosition.START;
            retryAt(nextDueAt == null ? Long.MAX_VALUE : nextDueAt);
        }
    }

    /** The read failed: try again at {@code at}. */
    void retriesReadFailed(long at) {
        retryAt(at);
    }
}
