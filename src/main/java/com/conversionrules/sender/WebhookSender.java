package com.conversionrules.sender;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Exit;
import com.conversionrules.store.ConfiguredEndpoint;
import com.conversionrules.store.Outbox;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers exits to every configured sender endpoint, following Standard Webhooks: one signed POST
 * per exit and endpoint, the body a CloudEvents JSON event, the exit's stable id in
 * {@code webhook-id}, retried until a 2xx or the give-up horizon, a 410 Gone disabling the endpoint.
 *
 * <p>The engine hands each batch's exits over once they are durable ({@link #handOver}); they are sent
 * from memory without reading them back. The store is read only for what memory does not hold: at
 * start (what the last run left undelivered), when more waits for an endpoint than memory holds (a
 * receiver down for hours), and for retries as they come due. Every result is written back to the
 * store, which is what the API shows and where a restart resumes; nothing is lost by a crash, since an
 * exit is in the store before it is handed over. Parts: {@link Handover} (engine threads to the
 * sender's context), {@link Dispatcher} (queues, slots, answers), {@link OutboxPoller} (store reads),
 * {@link WebhookClient} (one signed attempt) and {@link ResultRecorder} (batched result writes).
 */
public final class WebhookSender implements AutoCloseable {
    /** Deliveries in flight per endpoint. */
    static final int SLOTS_PER_ENDPOINT = 64;
    /** Deliveries to one endpoint held in memory before the rest are left to the store. */
    static final int CAPACITY_PER_ENDPOINT = 10_000;
    private static final int SETTLE_MILLIS = 20;

    private enum State {
        /** Built: exits handed over are let go (the first read finds them in the store). */
        NEW,
        RUNNING,
        /** Shutting down: no more store reads; what memory holds goes out if it can in time. */
        DRAINING,
        CLOSED
    }

    private final Context context;
    private final Handover handover;
    private final DeliveryLedger ledger;
    private final WebhookClient client;
    private final ResultRecorder recorder;
    private final OutboxPoller poller;
    private final Map<String, Lane> lanes;
    private volatile State state = State.NEW;

    /**
     * @param disabled the endpoints a 410 Gone disabled (see {@link #registerEndpoints}); nothing goes to them
     */
    public WebhookSender(Vertx vertx, Outbox outbox, List<WebhookEndpoint> configured, Set<String> disabled,
                         List<Duration> retrySchedule, Duration giveUpAfter, Duration timeout, Clock clock,
                         Metrics metrics) {
        this(vertx, outbox, configured, disabled, new RetryPolicy(retrySchedule, giveUpAfter,
                () -> ThreadLocalRandom.current().nextDouble()), timeout, clock, metrics, CAPACITY_PER_ENDPOINT);
    }

    WebhookSender(Vertx vertx, Outbox outbox, List<WebhookEndpoint> configured, Set<String> disabled,
                  RetryPolicy retries, Duration timeout, Clock clock, Metrics metrics, int capacityPerEndpoint) {
        this.context = vertx.getOrCreateContext();
        Map<String, Lane> lanes = new LinkedHashMap<>();
        configured.forEach(endpoint -> lanes.put(endpoint.name(), new Lane(new SignedEndpoint(endpoint),
                disabled.contains(endpoint.name()), Math.max(OutboxPoller.PAGE, capacityPerEndpoint / 4))));
        lanes.values().forEach(lane -> metrics.gauge("conversion_webhook_endpoint_behind",
                "1 while the sender reads the endpoint's exits back from the store (since start, until it has read what "
                        + "the last run left; or after more waited than memory holds), 0 while they go from memory",
                "endpoint", lane.name(), () -> lane.mode() == Lane.Mode.BEHIND ? 1 : 0));
        this.lanes = Map.copyOf(lanes);
        this.ledger = new DeliveryLedger(SLOTS_PER_ENDPOINT);
        this.client = new WebhookClient(vertx, timeout, SLOTS_PER_ENDPOINT * Math.max(1, configured.size()), clock,
                metrics);
        Dispatcher dispatcher = new Dispatcher(context, lanes, ledger, client, retries, clock, capacityPerEndpoint,
                this::readWhatFits);
        this.recorder = new ResultRecorder(outbox, vertx, context, dispatcher::recorded);
        dispatcher.recordTo(recorder);
        this.poller = new OutboxPoller(vertx, context, outbox, clock, lanes, ledger, dispatcher);
        this.handover = new Handover(context, capacityPerEndpoint, dispatcher::handOver, dispatcher::exitsLetGo);
    }

    /** A lane may have room for what the store holds, or a retry time moved. */
    private void readWhatFits() {
        poller.poll();
    }

    /**
     * Records which endpoints are configured now; must run before any exit of this start is stored.
     * Returns those a 410 Gone disabled at the same URL.
     */
    public static Set<String> registerEndpoints(Outbox outbox, List<WebhookEndpoint> configured) {
        return outbox.configureEndpoints(configured.stream()
                .map(endpoint -> new ConfiguredEndpoint(endpoint.name(), endpoint.url().toString())).toList()).join();
    }

    /** Starts delivering: first what the store holds undelivered, then exits as they are handed over. */
    public void start() {
        context.runOnContext(ignored -> {
            if (state == State.NEW) {
                state = State.RUNNING;
                poller.poll();
            }
        });
    }

    /**
     * From any thread: a batch's exits, once they are durable in the store. The list must not change
     * afterwards. Before {@link #start()} they are let go: the first read finds them in the store.
     */
    public void handOver(List<Exit> exits) {
        if (state == State.RUNNING || state == State.DRAINING) {
            handover.offer(exits);
        }
    }

    /**
     * At shutdown: stops reading the store and waits up to {@code limit} for what memory holds (exits
     * handed over, attempts in flight, results being written), so those results are recorded rather
     * than the deliveries repeated at the next start.
     */
    public void drain(Duration limit) {
        context.runOnContext(ignored -> {
            if (state == State.RUNNING) {
                state = State.DRAINING;
            }
            poller.stop();
        });
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            do {
                Thread.sleep(SETTLE_MILLIS);
            } while ((handover.pending() > 0 || ledger.unsettled() > 0) && System.nanoTime() < deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Where the endpoint's never-tried deliveries are to be found now. */
    Lane.Mode mode(String endpoint) {
        return lanes.get(endpoint).mode();
    }

    @Override
    public void close() {
        state = State.CLOSED;
        context.runOnContext(ignored -> {
            poller.stop();
            recorder.close();
        });
        client.close();
    }
}
