package com.conversionrules.sender;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.store.DeliveryRecords;
import com.conversionrules.store.EndpointRecords;
import com.conversionrules.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
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
    private static final int MAX_IN_FLIGHT = 64;
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int POLL_SETTLE_MILLIS = 20;

    private final Vertx vertx;
    private final Store store;
    private final Clock clock;
    private final Metrics metrics;
    private final Map<String, SignedEndpoint> endpoints = new HashMap<>();
    private final RetryPolicy retries;
    private final ExitEnvelope envelope = new ExitEnvelope();
    private final HttpClient client;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * Deliveries whose result was recorded while the current poll was reading: the poll may have read
     * them before that, so it must not send them again. Cleared when a poll starts (its read is fresh).
     */
    private final Set<String> finishedDuringRead = ConcurrentHashMap.newKeySet();
    private Context context;
    private volatile long timer = -1;
    private volatile boolean polling;
    /** The last never-tried delivery handed out; only the context's thread moves it. */
    private long freshCursor;
    private long ticks;
    private boolean pollAgain;

    public WebhookSender(Vertx vertx, Store store, List<WebhookEndpoint> configured, List<Duration> retrySchedule,
                         Duration giveUpAfter, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.store = store;
        this.clock = clock;
        configured.forEach(endpoint -> endpoints.put(endpoint.name(), new SignedEndpoint(endpoint)));
        this.retries = new RetryPolicy(retrySchedule, giveUpAfter, () -> ThreadLocalRandom.current().nextDouble());
        // One connection per delivery in flight: the default pool (5 per server) queued the rest.
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(TIMEOUT_MILLIS)
                .setIdleTimeout(TIMEOUT_MILLIS / 1000),
                new PoolOptions().setHttp1MaxSize(MAX_IN_FLIGHT));
    }

    /** Records which endpoints are configured now; must run before any exit of this start is stored. */
    public static void registerEndpoints(Store store, List<WebhookEndpoint> configured) {
        List<EndpointRecords.Configured> endpoints = configured.stream()
                .map(endpoint -> new EndpointRecords.Configured(endpoint.name(), endpoint.url().toString())).toList();
        store.write(connection -> EndpointRecords.sync(connection, endpoints), false).join();
    }

    public void start() {
        context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            timer = vertx.setPeriodic(POLL_MILLIS, id -> {
                // Now and then read never-tried deliveries from the start again: one whose result
                // could not be written stays untried and would otherwise wait for a restart.
                if (++ticks % RESCAN_TICKS == 0) {
                    freshCursor = 0;
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

    private void poll() {
        if (polling) {
            pollAgain = true;
            return;
        }
        polling = true;
        finishedDuringRead.clear();
        pollAgain = false;
        long after = freshCursor;
        Future.fromCompletionStage(store.read(connection -> {
            List<DeliveryRecords.Due> due = new ArrayList<>(DeliveryRecords.retries(connection, clock.millis(), BATCH));
            due.addAll(DeliveryRecords.fresh(connection, after, BATCH));
            return due;
        }), context).onComplete(result -> {
            polling = false;
            if (result.succeeded()) {
                dispatch(result.result());
            } else {
                LOG.warn("Reading due deliveries failed; retrying at the next tick", result.cause());
            }
            if (pollAgain) {
                poll();
            }
        });
    }

    /**
     * Sends what was read, up to the in-flight limit. The cursor over never-tried deliveries moves
     * past what was sent, so the next read brings new ones; what did not fit is read again.
     */
    private void dispatch(List<DeliveryRecords.Due> due) {
        boolean full = false;
        int sent = 0;
        for (DeliveryRecords.Due delivery : due) {
            SignedEndpoint endpoint = endpoints.get(delivery.endpoint());
            String key = delivery.exit().id() + ' ' + delivery.endpoint();
            full |= inFlight.size() >= MAX_IN_FLIGHT;
            if (!full && endpoint != null && !finishedDuringRead.contains(key) && inFlight.add(key)) {
                deliver(delivery, endpoint, key);
                sent++;
            }
            if (!full && delivery.attempts() == 0) {
                freshCursor = Math.max(freshCursor, delivery.seq());
            }
        }
        // More may be waiting behind what was just sent; a full pipe polls again as answers come.
        if (sent > 0 && !full) {
            pollAgain = true;
        }
    }

    private void deliver(DeliveryRecords.Due due, SignedEndpoint endpoint, String key) {
        String id = due.exit().id();
        byte[] bytes = envelope.of(due.exit());
        String body = new String(bytes, StandardCharsets.UTF_8);
        long sentAt = clock.millis();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(endpoint.url().toString())
                .setIdleTimeout(TIMEOUT_MILLIS)
                .putHeader("content-type", ExitEnvelope.CONTENT_TYPE)
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(sentAt / 1000))
                .putHeader("webhook-signature", endpoint.sign(id, sentAt / 1000, body));
        long started = System.nanoTime();
        client.request(request)
                .compose(outgoing -> outgoing.send(Buffer.buffer(bytes)))
                .compose(response -> response.body().map(ignored -> Attempt.answered(response.statusCode(),
                        response.getHeader("retry-after"), clock.millis())))
                .onComplete(result -> {
                    Attempt attempt = result.succeeded() ? result.result() : Attempt.unanswered(result.cause());
                    metrics.webhookAttempt(attempt.delivered(), System.nanoTime() - started);
                    record(due, endpoint.name(), key, attempt);
                });
    }

    /** Writes the attempt back to the store, disabling the endpoint on 410, and schedules what comes next. */
    private void record(DeliveryRecords.Due due, String name, String key, Attempt attempt) {
        long now = clock.millis();
        String id = due.exit().id();
        int attempts = due.attempts() + 1;
        long firstAttemptAt = due.firstAttemptAt() == null ? now : due.firstAttemptAt();
        RetryPolicy.Decision next = retries.afterFailure(attempts, firstAttemptAt, now, attempt.retryAfterMillis());
        boolean givingUp = !attempt.delivered() && !attempt.gone() && next.giveUp();
        store.write(connection -> {
            if (attempt.delivered()) {
                DeliveryRecords.markDelivered(connection, id, name, attempt.status(), now);
                return;
            }
            DeliveryRecords.markFailed(connection, id, name, attempt.status(), attempt.failure(), now,
                    next.nextAttemptAt(), givingUp);
            if (attempt.gone()) {
                EndpointRecords.disable(connection, name, "answered 410 Gone to exit " + id, now);
            }
        }, false).whenComplete((ignored, failed) -> {
            finishedDuringRead.add(key);
            inFlight.remove(key);
            if (failed != null) {
                LOG.warn("Recording the delivery of exit {} to {} failed; it will be sent again", id, name, failed);
            } else if (attempt.gone()) {
                LOG.warn("Endpoint {} answered 410 Gone: disabled; change its URL to enable it again", name);
            } else if (givingUp) {
                LOG.warn("Gave up delivering exit {} to {} after {} attempts: {}", id, name, attempts, attempt.failure());
            }
            if (attempt.delivered()) {
                wake();
            } else if (!givingUp && !attempt.gone() && context != null && next.nextAttemptAt() - now < POLL_MILLIS) {
                // Sooner than the next tick (a short schedule, or Retry-After: 0): poll when it is due.
                context.runOnContext(tick -> vertx.setTimer(Math.max(1, next.nextAttemptAt() - clock.millis()),
                        timerId -> poll()));
            }
        });
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
            while ((polling || !inFlight.isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(POLL_SETTLE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        client.close();
    }
}
