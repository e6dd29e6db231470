package com.conversionrules.sender;

import com.conversionrules.store.DueDeliveries;
import com.conversionrules.store.DueDelivery;
import com.conversionrules.store.DuePosition;
import com.conversionrules.store.DueRequest;
import com.conversionrules.store.Outbox;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the outbox for what memory does not hold: at start, what was left undelivered; for a lane
 * {@link Lane.Mode#BEHIND}, its never-tried deliveries in the order they were stored, until a read
 * comes back short; and retries as they come due (a retry waits seconds to hours, so it waits in the
 * store, not in memory). A lane is read only once it has room and less than half a read queued, so
 * what is read goes out soon and the next read comes back before its queue runs dry. One read at a time, for every lane that needs one; a timer
 * wakes it for the next retry. Used on the sender's context thread only.
 */
final class OutboxPoller {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxPoller.class);
    /** Deliveries read per lane and read at most. */
    static final int PAGE = 500;
    private static final long AFTER_FAILED_READ_MILLIS = 1_000;
    private static final DueDeliveries NOTHING = new DueDeliveries(List.of(), List.of(), null);

    private enum State {
        /** Nothing read now: {@link #poll()} reads if a lane needs it. */
        IDLE,
        /** A read is under way; when it comes back, the lanes are looked at again. */
        READING,
        /** The last read failed: the next waits a moment. */
        BACKING_OFF,
        /** Shut down: nothing is read any more. */
        STOPPED
    }

    private final Vertx vertx;
    private final Context context;
    private final Outbox outbox;
    private final Clock clock;
    private final Map<String, Lane> lanes;
    private final DeliveryLedger ledger;
    private final Dispatcher dispatcher;
    private State state = State.IDLE;
    private long timer = -1;
    private long timerAt = Long.MAX_VALUE;

    OutboxPoller(Vertx vertx, Context context, Outbox outbox, Clock clock, Map<String, Lane> lanes, DeliveryLedger ledger,
                 Dispatcher dispatcher) {
        this.vertx = vertx;
        this.context = context;
        this.outbox = outbox;
        this.clock = clock;
        this.lanes = lanes;
        this.ledger = ledger;
        this.dispatcher = dispatcher;
    }

    /** Reads for every lane that needs it and has room; otherwise sets the timer for the next due retry. */
    void poll() {
        if (state != State.IDLE) {
            return;
        }
        long now = clock.millis();
        Map<String, DueRequest> requests = null; // made only when a lane needs a read: this runs at every answer
        long wakeAt = Long.MAX_VALUE;
        for (Lane lane : lanes.values()) {
            boolean behind = lane.mode() == Lane.Mode.BEHIND;
            boolean retriesDue = lane.mode() != Lane.Mode.DISABLED && lane.retriesDueAt() <= now;
            if (!behind && !retriesDue) {
                if (lane.mode() != Lane.Mode.DISABLED) {
                    wakeAt = Math.min(wakeAt, lane.retriesDueAt());
                }
                continue;
            }
            int room = dispatcher.room(lane);
            if (room <= 0 || dispatcher.wellFed(lane)) {
                continue; // the answers that free room poll again
            }
            if (requests == null) {
                requests = new HashMap<>();
            }
            requests.put(lane.name(), new DueRequest(Math.min(PAGE, room), retriesDue ? lane.retryCursor() : null,
                    behind ? lane.freshCursor() : null));
        }
        if (requests == null) {
            wakeAt(wakeAt, now);
            return;
        }
        state = State.READING;
        ledger.readStarted();
        requests.forEach((name, request) -> {
            Lane lane = lanes.get(name);
            if (request.retriesAfter() != null) {
                lane.retriesReadStarted();
            }
            if (request.freshAfter() != null) {
                lane.freshReadStarted();
            }
        });
        Map<String, DueRequest> asked = requests;
        Future.fromCompletionStage(outbox.due(asked, now), context).onComplete(read -> read(asked, now, read));
    }

    private void read(Map<String, DueRequest> requests, long now, AsyncResult<Map<String, DueDeliveries>> read) {
        if (state == State.STOPPED) {
            ledger.readDone();
            return;
        }
        if (read.failed()) {
            LOG.warn("Reading due deliveries failed; trying again in {} ms", AFTER_FAILED_READ_MILLIS, read.cause());
            long again = clock.millis() + AFTER_FAILED_READ_MILLIS;
            requests.forEach((name, request) -> {
                Lane lane = lanes.get(name);
                if (request.retriesAfter() != null) {
                    lane.retriesReadFailed(again);
                }
                if (request.freshAfter() != null) {
                    lane.freshReadFailed();
                }
            });
            ledger.readDone();
            state = State.BACKING_OFF;
            vertx.setTimer(AFTER_FAILED_READ_MILLIS, id -> {
                if (state == State.BACKING_OFF) {
                    state = State.IDLE;
                    poll();
                }
            });
            return;
        }
        state = State.IDLE;
        Map<String, DueDeliveries> found = read.result();
        requests.forEach((name, request) -> found(lanes.get(name), request, found.getOrDefault(name, NOTHING), now));
        ledger.readDone();
        poll();
    }

    /** Queues what one lane's read found, moves its cursors, and sends. */
    private void found(Lane lane, DueRequest request, DueDeliveries due, long now) {
        if (request.retriesAfter() != null) {
            due.retries().forEach(delivery -> dispatcher.queue(lane, Delivery.of(delivery)));
            boolean full = due.retries().size() == request.limit();
            DuePosition last = due.retries().isEmpty() ? request.retriesAfter() : DuePosition.of(last(due.retries()));
            lane.retriesRead(last, full, now, due.nextRetryAt());
        }
        if (request.freshAfter() != null) {
            due.fresh().forEach(delivery -> dispatcher.queue(lane, Delivery.of(delivery)));
            long lastSeq = due.fresh().isEmpty() ? request.freshAfter() : last(due.fresh()).seq();
            boolean wasBehind = lane.mode() == Lane.Mode.BEHIND;
            lane.freshRead(lastSeq, due.fresh().size() < request.limit())
                    .forEach(exit -> dispatcher.queue(lane, Delivery.fresh(exit, lane.name())));
            if (wasBehind && lane.mode() == Lane.Mode.LIVE) {
                LOG.info("Endpoint {} is caught up with the store: new exits go to it straight from memory",
                        lane.name());
            }
        }
        dispatcher.send(lane);
    }

    private static DueDelivery last(List<DueDelivery> deliveries) {
        return deliveries.get(deliveries.size() - 1);
    }

    /** Sets the timer for {@code at} unless one is set sooner. */
    private void wakeAt(long at, long now) {
        if (at == Long.MAX_VALUE || (timer >= 0 && timerAt <= at)) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timerAt = at;
        timer = vertx.setTimer(Math.max(1, at - now), id -> {
            timer = -1;
            timerAt = Long.MAX_VALUE;
            poll();
        });
    }

    /** No more reads; one under way is let go. */
    void stop() {
        state = State.STOPPED;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
