package com.conversionrules.sender;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.store.ConfiguredEndpoint;
import com.conversionrules.store.DueDelivery;
import com.conversionrules.store.Outbox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers exits from the outbox to every configured sender endpoint, following Standard Webhooks:
 * one signed POST per exit and endpoint, the body a CloudEvents JSON event, the exit's stable id in
 * {@code webhook-id}. Failures are retried on the retry policy (or the receiver's Retry-After) until
 * a 2xx or the give-up horizon; a 410 Gone disables the endpoint. Delivery state is written back to
 * the store, so a restart resumes where it stopped and never loses an exit.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final int POLL_MILLIS = 1_000;
    private static final int RESCAN_TICKS = 60;
    private static final int BATCH = 100;
    /** Deliveries in flight per endpoint. */
    private static final int MAX_IN_FLIGHT = 64;
    /** Free slots of a full endpoint that make a poll worth it. */
    private static final int REFILL = MAX_IN_FLIGHT / 4;
    /** Of a receiver's answer only the status and headers count; more than this of its body is not read. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final int POLL_SETTLE_MILLIS = 20;
    private static final CharSequence CLOUDEVENTS_JSON = HttpHeaders.createOptimized(ExitEnvelope.CONTENT_TYPE);
    private static final CharSequence WEBHOOK_ID = HttpHeaders.createOptimized("webhook-id");
    private static final CharSequence WEBHOOK_TIMESTAMP = HttpHeaders.createOptimized("webhook-timestamp");
    private static final CharSequence WEBHOOK_SIGNATURE = HttpHeaders.createOptimized("webhook-signature");

    private final Vertx vertx;
    private final Outbox store;
    private final Clock clock;
    private final Metrics metrics;
    private final Map<String, SignedEndpoint> endpoints = new HashMap<>();
    private final RetryPolicy retries;
    private final long timeoutMillis;
    private final ExitEnvelope envelope = new ExitEnvelope();
    private final HttpClient client;
    private final DeliveryLedger ledger = new DeliveryLedger(MAX_IN_FLIGHT);
    /** Per endpoint, the last never-tried delivery handed out; only the context's thread moves them. */
    private final Map<String, Long> freshCursors = new HashMap<>();
    private Context context;
    private ResultRecorder recorder;
    private volatile long timer = -1;
    private volatile boolean polling;
    /** Closed: timers still set (retries, the last results) must not read a store that is closing. */
    private volatile boolean closed;
    private long ticks;
    private boolean pollAgain;
    /** Some endpoint had more due than free slots: answers freeing a few poll again. */
    private boolean waitingForRoom;
    /** The last read had deliveries that were in flight or recording, which took places in its limit. */
    private boolean skippedHandled;

    public WebhookSender(Vertx vertx, Outbox store, List<WebhookEndpoint> configured, List<Duration> retrySchedule,
                         Duration giveUpAfter, Duration timeout, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.store = store;
        this.clock = clock;
        configured.forEach(endpoint -> endpoints.put(endpoint.name(), new SignedEndpoint(endpoint)));
        this.retries = new RetryPolicy(retrySchedule, giveUpAfter, () -> ThreadLocalRandom.current().nextDouble());
        this.timeoutMillis = timeout.toMillis();
        // One connection per delivery in flight: the default pool (5 per server) queued the rest.
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis)),
                new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT * Math.max(1, configured.size())));
    }

    /** Records which endpoints are configured now; must run before any exit of this start is stored. */
    public static void registerEndpoints(Outbox outbox, List<WebhookEndpoint> configured) {
        outbox.configureEndpoints(configured.stream()
                .map(endpoint -> new ConfiguredEndpoint(endpoint.name(), endpoint.url().toString())).toList()).join();
    }

    public void start() {
        context = vertx.getOrCreateContext();
        recorder = new ResultRecorder(store, context, this::recorded);
        context.runOnContext(ignored -> {
            timer = vertx.setPeriodic(POLL_MILLIS, id -> {
                // Now and then read never-tried deliveries from the start again: one whose result
                // could not be written stays untried and would otherwise wait for a restart.
                if (++ticks % RESCAN_TICKS == 0) {
                    freshCursors.clear();
                }
                poll();
            });
            poll();
        });
    }

    /** New exits were committed: look for them now rather than at the next tick. */
    public void wake() {
        if (context != null) {
            context.runOnContext(ignored -> poll());
        }
    }

    /** Reads what is due for every endpoint with a free slot: due retries, then never-tried deliveries. */
    private void poll() {
        if (closed) {
            return;
        }
        if (polling) {
            pollAgain = true;
            return;
        }
        // Read only as many as can be sent: rows read while the endpoint is full would be read again.
        Map<String, Integer> limits = new HashMap<>();
        endpoints.keySet().forEach(name -> {
            int free = Math.min(BATCH, ledger.free(name));
            if (free > 0) {
                limits.put(name, free);
            }
        });
        if (limits.isEmpty()) {
            waitingForRoom = true;
            return;
        }
        polling = true;
        pollAgain = false;
        waitingForRoom = false;
        skippedHandled = false;
        ledger.readStarted();
        Map<String, Long> after = new HashMap<>();
        limits.keySet().forEach(name -> after.put(name, freshCursors.getOrDefault(name, 0L)));
        long now = clock.millis();
        Future.fromCompletionStage(store.due(limits, after, now), context).onComplete(result -> {
            polling = false;
            if (result.succeeded()) {
                result.result().forEach((name, due) -> dispatch(name,
                        new Due(limits.get(name), due.retries(), after.get(name), due.fresh())));
            } else {
                LOG.warn("Reading due deliveries failed; retrying at the next tick", result.cause());
            }
            ledger.readDone();
            if (pollAgain) {
                poll();
            }
        });
    }

    /** What one poll read for one endpoint: up to {@code limit} due retries and never-tried deliveries after a cursor. */
    private record Due(int limit, List<DueDelivery> retries, long after, List<DueDelivery> fresh) {
    }

    /**
     * Sends what was read for one endpoint, up to its free slots. Its cursor over never-tried
     * deliveries moves past what was sent or is handled already, so the next read brings new ones;
     * it stops at the first that did not fit, which is read again.
     */
    private void dispatch(String name, Due due) {
        SignedEndpoint endpoint = endpoints.get(name);
        int sent = 0;
        for (DueDelivery delivery : due.retries()) {
            if (send(delivery, endpoint)) {
                sent++;
            } else if (ledger.handled(delivery.seq())) {
                skippedHandled = true;
            }
        }
        long cursor = due.after();
        for (DueDelivery delivery : due.fresh()) {
            if (send(delivery, endpoint)) {
                sent++;
            } else if (!ledger.handled(delivery.seq())) {
                break;
            } else {
                skippedHandled = true;
            }
            cursor = delivery.seq();
        }
        // A cursor reset while this poll was reading stays reset: the reset asked for a read from the start.
        if (freshCursors.getOrDefault(name, 0L) == due.after()) {
            freshCursors.put(name, cursor);
        }
        if (!ledger.hasRoom(name)) {
            // The rest goes out as answers free slots.
            waitingForRoom = true;
        } else if ((sent > 0 && due.retries().size() == due.limit())
                || (cursor > due.after() && due.fresh().size() == due.limit())) {
            // More may be waiting behind what was just read.
            pollAgain = true;
        }
    }

    private boolean send(DueDelivery delivery, SignedEndpoint endpoint) {
        if (!ledger.start(delivery.seq(), endpoint.name())) {
            return false;
        }
        deliver(delivery, endpoint);
        return true;
    }

    private void deliver(DueDelivery due, SignedEndpoint endpoint) {
        String id = due.exit().id();
        byte[] bytes = envelope.of(due.exit());
        long sentAt = clock.millis() / 1000;
        String signature = endpoint.sign(id, sentAt, bytes);
        long started = System.nanoTime();
        client.request(endpoint.post().setIdleTimeout(timeoutMillis))
                .compose(outgoing -> {
                    // Set on the request, not its options, which would be copied into it.
                    outgoing.putHeader(HttpHeaders.CONTENT_TYPE, CLOUDEVENTS_JSON)
                            .putHeader(WEBHOOK_ID, id)
                            .putHeader(WEBHOOK_TIMESTAMP, Long.toString(sentAt))
                            .putHeader(WEBHOOK_SIGNATURE, signature);
                    return outgoing.send(Buffer.buffer(bytes));
                })
                .compose(response -> BoundedAnswer.read(response, MAX_ANSWER_BYTES)
                        .map(ignored -> Attempt.answered(response.statusCode(), response.getHeader("retry-after"),
                                clock.millis())))
                .onComplete(result -> {
                    Attempt attempt = result.succeeded() ? result.result() : Attempt.unanswered(result.cause());
                    metrics.webhookAttempt(attempt.delivered(), System.nanoTime() - started);
                    // The client answers on the context that sent, which owns the ledger; checked, not assumed.
                    if (Vertx.currentContext() == context) {
                        answered(due, endpoint.name(), attempt);
                    } else {
                        context.runOnContext(ignored -> answered(due, endpoint.name(), attempt));
                    }
                });
    }

    /**
     * The endpoint answered: its slot is free for the next delivery now, while the result joins the
     * next batch written to the store (the delivery stays in the ledger until that is committed).
     */
    private void answered(DueDelivery due, String name, Attempt attempt) {
        long now = clock.millis();
        int attempts = due.attempts() + 1;
        long firstAttemptAt = due.firstAttemptAt() == null ? now : due.firstAttemptAt();
        RetryPolicy.Decision next = retries.afterFailure(attempts, firstAttemptAt, now, attempt.retryAfterMillis());
        boolean givingUp = !attempt.delivered() && !attempt.gone() && next.giveUp();
        ledger.answered(name);
        recorder.add(new ResultRecorder.Result(due.seq(), due.exit().id(), name, attempt, now, next.nextAttemptAt(), givingUp));
        // Wait for a few free slots rather than read for each one.
        if (waitingForRoom && ledger.free(name) >= REFILL) {
            poll();
        }
    }

    /** A batch of results was written (or not): settle them in the ledger and schedule what comes next. */
    private void recorded(List<ResultRecorder.Result> batch, Throwable failed) {
        if (failed != null) {
            LOG.warn("Recording {} delivery results failed; they will be sent again", batch.size(), failed);
            batch.forEach(result -> ledger.notRecorded(result.delivery()));
            // The fresh ones among them are behind the cursors now.
            freshCursors.clear();
            poll();
            return;
        }
        long soonest = Long.MAX_VALUE;
        for (ResultRecorder.Result result : batch) {
            ledger.recorded(result.delivery());
            Attempt attempt = result.attempt();
            if (attempt.gone()) {
                LOG.warn("Endpoint {} answered 410 Gone: disabled; change its URL to enable it again", result.endpoint());
            } else if (result.givingUp()) {
                LOG.warn("Gave up delivering exit {} to {}: {}", result.exitId(), result.endpoint(), attempt.failure());
            } else if (!attempt.delivered()) {
                soonest = Math.min(soonest, result.nextAttemptAt());
            }
        }
        if (skippedHandled) {
            // The last read skipped deliveries still being handled; what waits behind them is read now.
            poll();
        }
        long wait = soonest - clock.millis();
        if (wait < POLL_MILLIS) {
            // Sooner than the next tick (a short schedule, or Retry-After: 0): poll when it is due.
            vertx.setTimer(Math.max(1, wait), timerId -> poll());
        }
    }

    /**
     * At shutdown: stops polling, makes one last pass over the outbox and waits up to {@code limit}
     * for the deliveries in flight, so their results are recorded rather than repeated next start.
     */
    public void drain(Duration limit) {
        if (context != null) {
            context.runOnContext(ignored -> {
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
                poll();
            });
        }
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            Thread.sleep(POLL_SETTLE_MILLIS);
            while ((polling || ledger.unsettled() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(POLL_SETTLE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        client.close();
    }
}
