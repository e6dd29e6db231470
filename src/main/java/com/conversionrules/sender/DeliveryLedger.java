package com.conversionrules.sender;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which deliveries (by their row's seq) the sender is handling, so that no poll sends one twice. A delivery is in flight
 * (holding one of its endpoint's slots) until answered, then recording until its result is committed;
 * if a poll was reading meanwhile, it stays finished-during-read until the next read starts, since
 * that read may predate the commit and still show it as due. Slots are per endpoint, so a slow
 * endpoint holds up only its own deliveries. Used on the sender's context thread only.
 */
final class DeliveryLedger {
    private final int slotsPerEndpoint;
    private final Map<String, Integer> inFlight = new HashMap<>();
    /** In flight or recording: the deliveries whose result is not committed yet. */
    private final Set<Long> handling = new HashSet<>();
    private final Set<Long> finishedDuringRead = new HashSet<>();
    private boolean reading;
    /** {@code handling.size()}, for a thread waiting at shutdown. */
    private volatile int unsettled;

    DeliveryLedger(int slotsPerEndpoint) {
        this.slotsPerEndpoint = slotsPerEndpoint;
    }

    boolean hasRoom(String endpoint) {
        return free(endpoint) > 0;
    }

    int free(String endpoint) {
        return slotsPerEndpoint - inFlight.getOrDefault(endpoint, 0);
    }

    /** A poll starts reading: what it reads is at least as new as every result committed so far. */
    void readStarted() {
        reading = true;
        finishedDuringRead.clear();
    }

    /** What the poll read is dispatched: nothing read before a commit is left to send. */
    void readDone() {
        reading = false;
        finishedDuringRead.clear();
    }

    /** Whether the delivery was read but must not be sent: it is being handled or has just finished. */
    boolean handled(long delivery) {
        return handling.contains(delivery) || finishedDuringRead.contains(delivery);
    }

    /** Takes one of the endpoint's slots for the delivery; false when it is handled or the endpoint is full. */
    boolean start(long delivery, String endpoint) {
        if (handled(delivery) || !hasRoom(endpoint)) {
            return false;
        }
        handling.add(delivery);
        inFlight.merge(endpoint, 1, Integer::sum);
        unsettled = handling.size();
        return true;
    }

    /** The endpoint answered (or did not): its slot is free; the delivery stays handled until recorded. */
    void answered(String endpoint) {
        inFlight.merge(endpoint, -1, Integer::sum);
    }

    /** The result is committed: a read from now on sees it; one under way may not. */
    void recorded(long delivery) {
        handling.remove(delivery);
        if (reading) {
            finishedDuringRead.add(delivery);
        }
        unsettled = handling.size();
    }

    /** The result could not be committed: the delivery is due as before and may be sent again. */
    void notRecorded(long delivery) {
        handling.remove(delivery);
        unsettled = handling.size();
    }

    /** Deliveries whose result is not committed yet; readable from any thread. */
    int unsettled() {
        return unsettled;
    }
}
