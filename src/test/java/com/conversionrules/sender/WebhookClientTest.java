package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.standardwebhooks.Webhook;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One attempt: a signed CloudEvent POSTed with the exit's id, and what the answer (or its absence) means. */
class WebhookClientTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Exit EXIT = new Exit(0, "exit-1", "spring", "ann", ExitReason.REMOVED, null, null, 0, null,
            1_700_000_000_000L);

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** One attempt made on the context, as the sender makes it. */
    private Attempt post(String url, Duration timeout) throws Exception {
        WebhookClient client = new WebhookClient(vertx, timeout, 4, Clock.systemUTC(), Metrics.inMemory());
        SignedEndpoint endpoint = new SignedEndpoint(new WebhookEndpoint("a", URI.create(url), SECRET));
        CompletableFuture<Attempt> attempt = new CompletableFuture<>();
        context.runOnContext(ignored -> client.post(endpoint, EXIT).onComplete(done -> {
            if (done.succeeded()) {
                attempt.complete(done.result());
            } else {
                attempt.completeExceptionally(done.cause());
            }
        }));
        try {
            return attempt.get(30, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    @Test
    void anAttemptPostsTheExitAsASignedCloudEventUnderItsId() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            Attempt attempt = post(receiver.url(), Duration.ofSeconds(10));
            assertTrue(attempt.delivered(), attempt.toString());
            assertEquals(204, attempt.status());

            Receiver.Request request = receiver.nextRequest();
            assertEquals("exit-1", request.header("webhook-id"));
            assertEquals(ExitEnvelope.CONTENT_TYPE, request.header("content-type"));
            assertEquals(new String(new ExitEnvelope().of(EXIT), StandardCharsets.UTF_8), request.body());
            new Webhook(SECRET).verify(request.body(), request.headers());
        }
    }

    @Test
    void aRetryAfterOn503IsRead() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            receiver.answer(503, "7");
            Attempt attempt = post(receiver.url(), Duration.ofSeconds(10));
            assertFalse(attempt.delivered());
            assertEquals(503, attempt.status());
            assertEquals(7_000L, attempt.retryAfterMillis());
        }
    }

    @Test
    void noAnswerInTimeIsAnAttemptWithoutAStatus() throws Exception {
        try (Receiver receiver = Receiver.holding()) {
            Attempt attempt = post(receiver.url(), Duration.ofMillis(300));
            assertNull(attempt.status());
            assertFalse(attempt.delivered());
            assertFalse(attempt.failure().isBlank(), attempt.toString());
        }
    }

    @Test
    void aRefusedConnectionIsAnAttemptWithTheError() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Attempt attempt = post("http://127.0.0.1:" + closedPort + "/exits", Duration.ofSeconds(10));
        assertNull(attempt.status());
        assertFalse(attempt.failure().isBlank(), attempt.toString());
    }
}
