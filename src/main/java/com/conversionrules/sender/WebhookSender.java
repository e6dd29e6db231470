package com.conversionrules.sender;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.store.ExitRecords;
import com.conversionrules.store.Store;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers exits from the outbox (the exits table) to the sender's webhook: one JSON POST per exit
 * with the exit's stable id in {@code webhook-id}, retried with backoff until a 2xx. Delivery state
 * is written back to the store, so a restart resumes where it stopped and never loses an exit.
 */
public final class WebhookSender implements AutoCloseable {
    private static final int POLL_MILLIS = 1_000;
    private static final int BATCH = 100;
    private static final int MAX_IN_FLIGHT = 64;
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int POLL_SETTLE_MILLIS = 20;

    private final Vertx vertx;
    private final Store store;
    private final URI url;
    private final Clock clock;
    private final Metrics metrics;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient client;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private Context context;
    private volatile long timer = -1;
    private volatile boolean polling;
    private boolean pollAgain;

    public WebhookSender(Vertx vertx, Store store, URI url, Clock clock, Metrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.store = store;
        this.url = url;
        this.clock = clock;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(TIMEOUT_MILLIS)
                .setIdleTimeout(TIMEOUT_MILLIS / 1000));
    }

    public void start() {
        context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            timer = vertx.setPeriodic(POLL_MILLIS, id -> poll());
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
        pollAgain = false;
        Future.fromCompletionStage(store.read(connection -> ExitRecords.due(connection, clock.millis(), BATCH)), context)
                .onComplete(result -> {
                    polling = false;
                    if (result.succeeded()) {
                        for (ExitRecords.Stored stored : result.result()) {
                            if (inFlight.size() < MAX_IN_FLIGHT && inFlight.add(stored.exit().id())) {
                                deliver(stored);
                            }
                        }
                    }
                    if (pollAgain) {
                        poll();
                    }
                });
    }

    private void deliver(ExitRecords.Stored stored) {
        String id = stored.exit().id();
        Buffer body = Buffer.buffer(ExitPayload.of(mapper, stored.exit()).toString());
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url.toString())
                .setIdleTimeout(TIMEOUT_MILLIS)
                .putHeader("content-type", "application/json")
                .putHeader("webhook-id", id);
        long started = System.nanoTime();
        client.request(request)
                .compose(outgoing -> outgoing.send(body))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(result -> {
                    long now = clock.millis();
                    int attempts = stored.delivery().attempts() + 1;
                    boolean delivered = result.succeeded() && result.result() / 100 == 2;
                    metrics.webhookAttempt(delivered, System.nanoTime() - started);
                    Integer status = result.succeeded() ? result.result() : null;
                    String error = result.succeeded() ? (delivered ? null : "HTTP " + status)
                            : String.valueOf(result.cause().getMessage());
                    store.write(connection -> {
                        if (delivered) {
                            ExitRecords.markDelivered(connection, id, status, now);
                        } else {
                            ExitRecords.markFailed(connection, id, status, error, now + Backoff.afterFailures(attempts));
                        }
                    }, false).whenComplete((ignored, failure) -> {
                        inFlight.remove(id);
                        if (delivered) {
                            wake();
                        }
                    });
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
