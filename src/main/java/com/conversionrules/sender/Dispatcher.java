package com.conversionrules.sender;

import com.conversionrules.model.Exit;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each endpoint's queued deliveries as its slots free, and decides what each answer means:
 * delivered; retried later (the retry policy, or the receiver's Retry-After); given up past the
 * horizon; or, on 410 Gone, the endpoint disabled. Results go to the store in batches; a delivery
 * stays held in memory until its result is committed, and a failed one is then read back from the
 * store when it comes due. Exits handed over go straight to the queue of each {@link Lane.Mode#LIVE}
 * lane with room; a lane without room falls behind and the poller reads the rest from the store.
 * Used on the sender's context thread only.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Context context;
    private final Map<String, Lane> lanes;
    private final DeliveryLedger ledger;
    private final WebhookClient client;
    private final RetryPolicy retries;
    private final Clock clock;
    private final int capacity;
    private final Runnable roomFreed;
    private ResultRecorder recorder;

    /**
     * @param capacity  deliveries to one endpoint held in memory (queued, in flight, being recorded)
     *                  before exits handed over are left to the store; a read may add one page more
     * @param roomFreed told when a lane may have room for what the store holds, or a retry time moved
     */
    Dispatcher(Context context, Map<String, Lane> lanes, DeliveryLedger ledger, WebhookClient client, RetryPolicy retries,
               Clock clock, int capacity, Runnable roomFreed) {
        this.context = context;
        this.lanes = lanes;
        this.ledger = ledger;
        this.client = client;
        this.retries = retries;
        this.clock = clock;
        this.capacity = capacity;
        this.roomFreed = roomFreed;
    }

    /** Where results go; set once, before anything is sent. */
    void recordTo(ResultRecorder recorder) {
        this.recorder = recorder;
    }

    /** How many more deliveries memory takes for the lane. */
    int room(Lane lane) {
        return capacity - ledger.held(lane.name());
    }

    /**
     * Whether the lane has enough queued that reading more can wait. Half a read's worth: the next read
     * then comes back before the queue runs dry (waiting until fewer than its slots were queued, the
     * slots sat idle while each read was under way).
     */
    boolean wellFed(Lane lane) {
        return lane.queue().size() >= OutboxPoller.PAGE / 2;
    }

    /** Exits just committed: queued on every live lane with room, noted by a lane catching up. */
    void handOver(List<Exit> exits) {
        for (Lane lane : lanes.values()) {
            if (lane.mode() == Lane.Mode.LIVE) {
                for (Exit exit : exits) {
                    if (room(lane) <= 0) {
                        LOG.warn("More than {} deliveries to {} wait in memory; the rest are read from the store as it "
                                + "catches up", capacity, lane.name());
                        lane.fallBehind();
                        break;
                    }
                    queue(lane, Delivery.fresh(exit, lane.name()));
                }
                send(lane);
            } else if (lane.mode() == Lane.Mode.BEHIND) {
                exits.forEach(lane::arrived);
            }
        }
    }

    /** Exits were let go before they reached the sender (see {@link Handover}): they are in the store only. */
    void exitsLetGo() {
        lanes.values().forEach(Lane::fallBehind);
        roomFreed.run();
    }

    /**
     * Queues a delivery unless memory holds it already, or its endpoint was disabled (a read under
     * way when the 410 came may still find deliveries to it).
     */
    void queue(Lane lane, Delivery delivery) {
        if (lane.mode() != Lane.Mode.DISABLED && ledger.hold(delivery.exitId(), lane.name())) {
            lane.queue().add(delivery);
        }
    }

    /** Sends from the lane's queue while it has free slots. */
    void send(Lane lane) {
        while (!lane.queue().isEmpty() && ledger.start(lane.name())) {
            Delivery delivery = lane.queue().poll();
            client.post(lane.endpoint(), delivery.exit()).onComplete(done -> {
                // The client answers on the context that sent, which owns the ledger; checked, not assumed.
                if (Vertx.currentContext() == context) {
                    answered(lane, delivery, done.result());
                } else {
                    context.runOnContext(ignored -> answered(lane, delivery, done.result()));
                }
            });
        }
    }

    /**
     * The endpoint answered: its slot is free for the next delivery now, while the result joins the
     * next batch written to the store (the delivery stays held until that is committed).
     */
    private void answered(Lane lane, Delivery delivery, Attempt attempt) {
        long now = clock.millis();
        int attempts = delivery.attempts() + 1;
        long firstAttemptAt = delivery.firstAttemptAt() == null ? now : delivery.firstAttemptAt();
        RetryPolicy.Decision next = retries.afterFailure(attempts, firstAttemptAt, now, attempt.retryAfterMillis());
        boolean givingUp = !attempt.delivered() && !attempt.gone() && next.giveUp();
        ledger.answered(lane.name());
        recorder.add(new ResultRecorder.Result(delivery.exitId(), lane.name(), attempt, now, next.nextAttemptAt(),
                givingUp));
        if (attempt.gone() && lane.mode() != Lane.Mode.DISABLED) {
            LOG.warn("Endpoint {} answered 410 Gone: disabled; change its URL to enable it again", lane.name());
            lane.disable().forEach(dropped -> ledger.dropped(dropped.exitId(), lane.name()));
        }
        send(lane);
        roomFreed.run();
    }

    /** A batch of results is committed: those deliveries leave memory; failed ones come due again in the store. */
    void recorded(List<ResultRecorder.Result> batch) {
        for (ResultRecorder.Result result : batch) {
            ledger.recorded(result.exitId(), result.endpoint());
            Attempt attempt = result.attempt();
            if (result.givingUp()) {
                LOG.warn("Gave up delivering exit {} to {}: {}", result.exitId(), result.endpoint(), attempt.failure());
            } else if (!attempt.delivered() && !attempt.gone()) {
                lanes.get(result.endpoint()).retryAt(result.nextAttemptAt());
            }
        }
        roomFreed.run();
    }
}
