package com.conversionrules.sender;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which deliveries (an exit to an endpoint) the sender holds in memory, so that no store read queues
 * one twice: held from when it is queued, through its attempt (holding one of its endpoint's slots),
 * until its result is committed. If a read was under way meanwhile, the delivery stays
 * settled-during-read until the next read starts, since that read may predate the commit and still
 * show it as due. Slots are per endpoint, so a slow endpoint holds up only its own deliveries. Used
 * on the sender's context thread only.
 */
final class DeliveryLedger {
    private record Key(String exitId, String endpoint) {
    }

    private final int slotsPerEndpoint;
    private final Set<Key> held = new HashSet<>();
    private final Map<String, Integer> heldPerEndpoint = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Set<Key> settledDuringRead = new HashSet<>();
    private boolean reading;
    /** {@code held.size()}, for a thread waiting at shutdown. */
    private volatile int unsettled;

    DeliveryLedger(int slotsPerEndpoint) {
        this.slotsPerEndpoint = slotsPerEndpoint;
    }

    /**
     * Takes a delivery into memory; false when memory holds it already, or its result was committed
     * while the read under way was reading (which then shows it as it was).
     */
    boolean hold(String exitId, String endpoint) {
        Key key = new Key(exitId, endpoint);
        if (settledDuringRead.contains(key) || !held.add(key)) {
            return false;
        }
        heldPerEndpoint.merge(endpoint, 1, Integer::sum);
        unsettled = held.size();
        return true;
    }

    /** Whether memory holds the delivery (queued, in flight, or its result being recorded). */
    boolean holds(String exitId, String endpoint) {
        return held.contains(new Key(exitId, endpoint));
    }

    /** Deliveries to the endpoint held in memory. */
    int held(String endpoint) {
        return heldPerEndpoint.getOrDefault(endpoint, 0);
    }

    boolean hasSlot(String endpoint) {
        return inFlight.getOrDefault(endpoint, 0) < slotsPerEndpoint;
    }

    /** A held delivery goes out: takes one of its endpoint's slots; false when they are all taken. */
    boolean start(String endpoint) {
        if (!hasSlot(endpoint)) {
            return false;
        }
        inFlight.merge(endpoint, 1, Integer::sum);
        return true;
    }

    /** The endpoint answered (or did not): its slot is free; the delivery stays held until recorded. */
    void answered(String endpoint) {
        inFlight.merge(endpoint, -1, Integer::sum);
    }

    /** The result is committed: a read from now on sees it; one under way may not. */
    void recorded(String exitId, String endpoint) {
        Key key = new Key(exitId, endpoint);
        release(key);
        if (reading) {
            settledDuringRead.add(key);
        }
    }

    /** Let go without an attempt (its endpoint was disabled): the store shows it as it was, which is right. */
    void dropped(String exitId, String endpoint) {
        release(new Key(exitId, endpoint));
    }

    private void release(Key key) {
        if (held.remove(key)) {
            heldPerEndpoint.merge(key.endpoint(), -1, Integer::sum);
            unsettled = held.size();
        }
    }

    /** A read starts: what it reads is at least as new as every result committed so far. */
    void readStarted() {
        reading = true;
        settledDuringRead.clear();
    }

    /** What the read found is queued: nothing read before a commit is left to queue. */
    void readDone() {
        reading = false;
        settledDuringRead.clear();
    }

    /** Deliveries held in memory; readable from any thread. */
    int unsettled() {
        return unsettled;
    }
}
