package com.conversionrules.sender;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Exit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One delivery attempt, following Standard Webhooks: the exit as a CloudEvents JSON body, signed
 * with the endpoint's secret, the exit's stable id in {@code webhook-id}, POSTed with a timeout; of
 * the answer only the status and {@code Retry-After} count, and no more than
 * {@link #MAX_ANSWER_BYTES} of its body is read. Used on the sender's context only (the envelope
 * writer and each endpoint's HMAC are not thread-safe).
 */
final class WebhookClient implements AutoCloseable {
    /** Of a receiver's answer only the status and headers count; more than this of its body is not read. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final CharSequence CLOUDEVENTS_JSON = HttpHeaders.createOptimized(ExitEnvelope.CONTENT_TYPE);
    private static final CharSequence WEBHOOK_ID = HttpHeaders.createOptimized("webhook-id");
    private static final CharSequence WEBHOOK_TIMESTAMP = HttpHeaders.createOptimized("webhook-timestamp");
    private static final CharSequence WEBHOOK_SIGNATURE = HttpHeaders.createOptimized("webhook-signature");

    private final HttpClient client;
    private final ExitEnvelope envelope = new ExitEnvelope();
    private final long timeoutMillis;
    private final Clock clock;
    private final Metrics metrics;

    /** @param connections connections kept at most, one per attempt in flight (the default pool of 5 per server queued the rest) */
    WebhookClient(Vertx vertx, Duration timeout, int connections, Clock clock, Metrics metrics) {
        this.timeoutMillis = timeout.toMillis();
        this.clock = clock;
        this.metrics = metrics;
        int timeoutInt = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout(timeoutInt)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(timeoutInt),
                new PoolOptions().setHttp1MaxSize(connections));
    }

    /** POSTs the exit to the endpoint once; completes with what came of it, never with a failure. */
    Future<Attempt> post(SignedEndpoint endpoint, Exit exit) {
        String id = exit.id();
        byte[] body = envelope.of(exit);
        long sentAt = clock.millis() / 1000;
        String signature = endpoint.sign(id, sentAt, body);
        long started = System.nanoTime();
        return client.request(endpoint.post().setIdleTimeout(timeoutMillis))
                .compose(outgoing -> {
                    // Set on the request, not its options, which would be copied into it.
                    outgoing.putHeader(HttpHeaders.CONTENT_TYPE, CLOUDEVENTS_JSON)
                            .putHeader(WEBHOOK_ID, id)
                            .putHeader(WEBHOOK_TIMESTAMP, Long.toString(sentAt))
                            .putHeader(WEBHOOK_SIGNATURE, signature);
                    return outgoing.send(Buffer.buffer(body));
                })
                .compose(response -> BoundedAnswer.read(response, MAX_ANSWER_BYTES)
                        .map(ignored -> Attempt.answered(response.statusCode(), response.getHeader("retry-after"),
                                clock.millis())))
                .otherwise(Attempt::unanswered)
                .onSuccess(attempt -> metrics.webhookAttempt(attempt.delivered(), System.nanoTime() - started));
    }

    @Override
    public void close() {
        client.close();
    }
}
