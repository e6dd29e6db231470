package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.http.WebhookReceiver.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exits reach the sender's endpoints, real HTTP receivers, as signed CloudEvents with a stable id,
 * retried until accepted, with the state of each delivery on the exit feed.
 */
class WebhookTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER_SECRET = "whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXkh";
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";

    @TempDir
    Path dataDir;

    /** One endpoint named default, fast retries unless the test overrides them. */
    private static Map<String, String> single(WebhookReceiver receiver, String... more) {
        Map<String, String> env = new HashMap<>();
        env.put(Config.SENDER_WEBHOOK_URL, receiver.url());
        env.put(Config.SENDER_WEBHOOK_SECRET, SECRET);
        env.put(Config.WEBHOOK_RETRY_SCHEDULE, "100ms");
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static String convert(TestService service, String campaign, String user, String eventId) {
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        service.enroll(campaign, user, ENROLLED);
        service.event(eventId, user, "Placed Order", AFTER, null);
        return expect(200, service.get("/v1/campaigns/" + campaign + "/enrollments/" + user)).body()
                .path("exit").path("id").asText();
    }

    @Test
    void aConversionIsPostedAsASignedCloudEventWithItsStableId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestService service = TestService.start(dataDir, single(receiver))) {
            String exitId = convert(service, "hook", "ann", "order-1");

            WebhookReceiver.Delivery delivery = receiver.next();
            assertEquals("application/cloudevents+json", delivery.contentType());
            assertEquals(exitId, delivery.webhookId());
            assertTrue(delivery.header("webhook-signature").startsWith("v1,"), delivery.header("webhook-signature"));
            new Webhook(SECRET).verify(delivery.body(), delivery.headers());
            assertThrows(WebhookVerificationException.class,
                    () -> new Webhook(OTHER_SECRET).verify(delivery.body(), delivery.headers()));
            assertThrows(WebhookVerificationException.class,
                    () -> new Webhook(SECRET).verify(delivery.body().replace("order-1", "order-2"), delivery.headers()));

            JsonNode event = TestService.JSON.readTree(delivery.body());
            assertEquals("1.0", event.path("specversion").asText());
            assertEquals("com.conversionrules.campaign.exited", event.path("type").asText());
            assertEquals("/conversion-rules", event.path("source").asText());
            assertEquals(exitId, event.path("id").asText());
            assertEquals("application/json", event.path("datacontenttype").asText());
            assertTrue(event.path("time").isTextual(), event.toString());
            JsonNode exit = event.path("data");
            assertEquals(exitId, exit.path("id").asText());
            assertEquals("hook", exit.path("campaignId").asText());
            assertEquals("ann", exit.path("userId").asText());
            assertEquals("converted", exit.path("reason").asText());
            assertEquals("placed_order", exit.path("conversionEvent").asText());
            assertEquals("order-1", exit.path("eventId").asText());

            JsonNode state = awaitState(service, exitId, "default", "delivered");
            assertEquals(1, state.path("attempts").asInt());
            assertEquals(204, state.path("lastStatus").asInt());
            assertTrue(state.path("deliveredAt").isTextual());
        }
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameIdAndBodyAndRecorded() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.failingFirst(2);
             TestService service = TestService.start(dataDir, single(receiver))) {
            String exitId = convert(service, "retry", "bob", "visit-1");

            WebhookReceiver.Delivery first = receiver.next();
            WebhookReceiver.Delivery second = receiver.next();
            WebhookReceiver.Delivery third = receiver.next();
            assertEquals(503, first.answeredWith());
            assertEquals(503, second.answeredWith());
            assertEquals(204, third.answeredWith());
            assertEquals(exitId, first.webhookId());
            assertEquals(exitId, second.webhookId());
            assertEquals(exitId, third.webhookId());
            assertEquals(first.body(), third.body());
            new Webhook(SECRET).verify(third.body(), third.headers());

            JsonNode state = awaitState(service, exitId, "default", "delivered");
            assertEquals(3, state.path("attempts").asInt());
            assertEquals(204, state.path("lastStatus").asInt());
        }
    }

    @Test
    void retryAfterOn503And429IsHonouredOverALongScheduleButNeverSoonerThanItsFirstWait() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(new Answer(503, Map.of("Retry-After", "0")),
                new Answer(429, Map.of("Retry-After", "2")));
             TestService service = TestService.start(dataDir,
                     single(receiver, Config.WEBHOOK_RETRY_SCHEDULE, "1s,1h"))) {
            String exitId = convert(service, "later-please", "cy", "order-3");

            WebhookReceiver.Delivery first = receiver.next();
            WebhookReceiver.Delivery second = receiver.next();
            WebhookReceiver.Delivery third = receiver.next();
            assertEquals(List.of(503, 429, 204), List.of(first.answeredWith(), second.answeredWith(), third.answeredWith()));
            // Retry-After: 0 waits the schedule's first step (1 s), not 0: a receiver cannot make the sender spin.
            assertTrue(second.arrivedNanos() - first.arrivedNanos() >= TimeUnit.MILLISECONDS.toNanos(1000),
                    "waited at least the first step after Retry-After: 0");
            // Retry-After: 2 is longer than that step and shorter than the next (1 h): honoured.
            assertTrue(third.arrivedNanos() - second.arrivedNanos() >= TimeUnit.MILLISECONDS.toNanos(2000),
                    "waited at least the 2 s asked for");
            assertEquals(3, awaitState(service, exitId, "default", "delivered").path("attempts").asInt());
        }
    }

    @Test
    void aHugeAnswerBodyIsNotReadBeyondItsFirstKilobytes() throws Exception {
        // 64 MB of answer; the sender reads 64 KiB of it, counts the 200 as delivered, and resets the rest.
        try (WebhookReceiver receiver = new WebhookReceiver(Answer.withBody(200, 64L * 1024 * 1024));
             TestService service = TestService.start(dataDir, single(receiver))) {
            String exitId = convert(service, "chatty", "fay", "order-9");
            assertEquals(200, receiver.next().answeredWith());
            assertEquals(1, awaitState(service, exitId, "default", "delivered").path("attempts").asInt());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (receiver.lastAnswerBytesSent() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(receiver.lastAnswerBytesSent() >= 0, "the receiver finished answering");
            assertTrue(receiver.lastAnswerBytesSent() < 16L * 1024 * 1024,
                    "the sender stopped reading early (what TCP buffers aside): " + receiver.lastAnswerBytesSent());
            service.enroll("chatty", "gus", ENROLLED);
            service.event("order-10", "gus", "Placed Order", AFTER, null);
            assertEquals(204, receiver.next().answeredWith(), "the sender goes on delivering");
        }
    }

    @Test
    void retryAfterLongerThanTheScheduleIsWaitedOut() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(new Answer(503, Map.of("Retry-After", "1")),
                new Answer(429, Map.of("Retry-After", "1")));
             TestService service = TestService.start(dataDir, single(receiver))) {
            String exitId = convert(service, "not-so-fast", "cy", "order-13");

            WebhookReceiver.Delivery unavailable = receiver.next();
            WebhookReceiver.Delivery tooMany = receiver.next();
            WebhookReceiver.Delivery accepted = receiver.next();
            // The schedule alone would retry after about 100 ms.
            assertTrue(tooMany.arrivedNanos() - unavailable.arrivedNanos() >= 1_000_000_000L,
                    "the retry after a 503 waited the second asked for");
            assertTrue(accepted.arrivedNanos() - tooMany.arrivedNanos() >= 1_000_000_000L,
                    "the retry after a 429 waited the second asked for");
            assertEquals(3, awaitState(service, exitId, "default", "delivered").path("attempts").asInt());
        }
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsRetried() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(Answer.after(3_000));
             TestService service = TestService.start(dataDir, single(receiver, Config.WEBHOOK_TIMEOUT, "300ms"))) {
            String exitId = convert(service, "slow-receiver", "kim", "order-14");

            WebhookReceiver.Delivery first = receiver.next();
            WebhookReceiver.Delivery second = receiver.next();
            assertEquals(exitId, second.webhookId());
            assertTrue(second.arrivedNanos() - first.arrivedNanos() < 3_000_000_000L,
                    "retried before the held answer came, so the first attempt timed out");
            JsonNode state = awaitState(service, exitId, "default", "delivered");
            assertEquals(2, state.path("attempts").asInt(), state.toString());
        }
    }

    @Test
    void goneDisablesTheEndpointAndLaterExitsWaitForIt() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(Answer.of(410));
             TestService service = TestService.start(dataDir, single(receiver))) {
            String first = convert(service, "gone", "dee", "order-4");
            assertEquals(410, receiver.next().answeredWith());
            JsonNode state = awaitState(service, first, "default", "endpoint_disabled");
            assertEquals(410, state.path("lastStatus").asInt());

            service.enroll("gone", "eve", ENROLLED);
            service.event("order-5", "eve", "Placed Order", AFTER, null);
            String second = expect(200, service.get("/v1/campaigns/gone/enrollments/eve")).body()
                    .path("exit").path("id").asText();
            assertEquals("endpoint_disabled", deliveryOf(service, second, "default").path("state").asText());
            assertNull(receiver.within(1500), "a disabled endpoint receives nothing more");
            JsonNode endpoint = expect(200, service.get("/v1/webhook-endpoints")).body().path("endpoints").get(0);
            assertEquals("default", endpoint.path("name").asText());
            assertTrue(endpoint.path("disabled").asBoolean(), endpoint.toString());
            assertTrue(endpoint.path("disabledReason").asText().contains("410"), endpoint.toString());
            assertEquals(2, endpoint.path("waiting").asInt(), "both exits wait for the endpoint: " + endpoint);
            assertEquals(0, endpoint.path("failed").asInt(), endpoint.toString());
        }
    }

    @Test
    void aChangedUrlEnablesAGoneEndpointAgainAndSendsWhatWaited() throws Exception {
        String exitId;
        Map<String, String> goneSettings;
        try (WebhookReceiver gone = new WebhookReceiver(Answer.of(410))) {
            goneSettings = single(gone);
            try (TestService service = TestService.start(dataDir, goneSettings)) {
                exitId = convert(service, "moved", "lee", "order-15");
                assertEquals(410, gone.next().answeredWith());
                awaitState(service, exitId, "default", "endpoint_disabled");
            }
        }
        // Restarting on the URL that answered 410 keeps the endpoint disabled.
        try (TestService service = TestService.start(dataDir, goneSettings)) {
            assertTrue(endpoint(service).path("disabled").asBoolean());
            assertEquals("endpoint_disabled", deliveryOf(service, exitId, "default").path("state").asText());
        }
        try (WebhookReceiver moved = new WebhookReceiver();
             TestService service = TestService.start(dataDir, single(moved))) {
            assertEquals(exitId, moved.next().webhookId());
            awaitState(service, exitId, "default", "delivered");
            JsonNode endpoint = endpoint(service);
            assertEquals(moved.url(), endpoint.path("url").asText());
            assertTrue(!endpoint.path("disabled").asBoolean() && endpoint.path("disabledAt").isNull(), endpoint.toString());
        }
    }

    @Test
    void anEndpointNoLongerConfiguredShowsItsDeliveriesAsRemoved() throws Exception {
        String before;
        try (WebhookReceiver email = new WebhookReceiver();
             WebhookReceiver sms = new WebhookReceiver(new Answer(503, Map.of("Retry-After", "3600")));
             TestService service = TestService.start(dataDir, Map.of(Config.SENDER_WEBHOOKS,
                     "email=" + email.url() + "|" + SECRET + ",sms=" + sms.url() + "|" + OTHER_SECRET))) {
            before = convert(service, "dropped", "max", "order-16");
            assertEquals(503, sms.next().answeredWith());
            awaitState(service, before, "email", "delivered");
            assertEquals("pending", deliveryOf(service, before, "sms").path("state").asText());
        }
        try (WebhookReceiver email = new WebhookReceiver();
             TestService service = TestService.start(dataDir, Map.of(Config.SENDER_WEBHOOKS,
                     "email=" + email.url() + "|" + SECRET))) {
            assertEquals("endpoint_removed", deliveryOf(service, before, "sms").path("state").asText());
            service.enroll("dropped", "ned", ENROLLED);
            service.event("order-17", "ned", "Placed Order", AFTER, null);
            String after = expect(200, service.get("/v1/campaigns/dropped/enrollments/ned")).body()
                    .path("exit").path("id").asText();
            awaitState(service, after, "email", "delivered");
            assertTrue(deliveryOf(service, after, "sms").isMissingNode(), "no delivery to an endpoint removed before");
            JsonNode endpoints = expect(200, service.get("/v1/webhook-endpoints")).body().path("endpoints");
            assertEquals("sms", endpoints.get(1).path("name").asText());
            assertTrue(!endpoints.get(1).path("configured").asBoolean(), endpoints.toString());
        }
    }

    @Test
    void aDeliveryIsGivenUpAfterTheHorizonAndStaysOnTheFeedAsFailed() throws Exception {
        Answer[] failures = new Answer[1000];
        java.util.Arrays.fill(failures, Answer.of(500));
        try (WebhookReceiver receiver = new WebhookReceiver(failures);
             TestService service = TestService.start(dataDir,
                     single(receiver, Config.WEBHOOK_RETRY_SCHEDULE, "50ms", Config.WEBHOOK_GIVE_UP_AFTER, "300ms"))) {
            String exitId = convert(service, "hopeless", "fay", "order-6");

            JsonNode state = awaitState(service, exitId, "default", "failed");
            assertTrue(state.path("attempts").asInt() >= 2, state.toString());
            assertEquals(500, state.path("lastStatus").asInt());
            assertTrue(state.path("gaveUpAt").isTextual(), state.toString());
            assertTrue(state.path("deliveredAt").isNull(), state.toString());
            JsonNode endpoint = expect(200, service.get("/v1/webhook-endpoints")).body().path("endpoints").get(0);
            assertEquals(1, endpoint.path("failed").asInt(), "the given-up delivery is counted: " + endpoint);
            assertEquals(0, endpoint.path("waiting").asInt(), endpoint.toString());
        }
    }

    @Test
    void eachEndpointGetsEveryExitSignedWithItsOwnSecret() throws Exception {
        try (WebhookReceiver email = new WebhookReceiver();
             WebhookReceiver sms = WebhookReceiver.failingFirst(1);
             TestService service = TestService.start(dataDir, Map.of(Config.SENDER_WEBHOOKS,
                     "email=" + email.url() + "|" + SECRET + ", sms=" + sms.url() + "|" + OTHER_SECRET,
                     Config.WEBHOOK_RETRY_SCHEDULE, "100ms"))) {
            String exitId = convert(service, "two-channels", "gus", "order-7");

            WebhookReceiver.Delivery toEmail = email.next();
            new Webhook(SECRET).verify(toEmail.body(), toEmail.headers());
            assertThrows(WebhookVerificationException.class,
                    () -> new Webhook(OTHER_SECRET).verify(toEmail.body(), toEmail.headers()));
            assertEquals(503, sms.next().answeredWith());
            WebhookReceiver.Delivery toSms = sms.next();
            new Webhook(OTHER_SECRET).verify(toSms.body(), toSms.headers());
            assertEquals(exitId, toEmail.webhookId());
            assertEquals(exitId, toSms.webhookId());

            assertEquals(1, awaitState(service, exitId, "email", "delivered").path("attempts").asInt());
            assertEquals(2, awaitState(service, exitId, "sms", "delivered").path("attempts").asInt());
        }
    }

    @Test
    void anUnreachableEndpointIsRetriedWithTheErrorRecorded() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (TestService service = TestService.start(dataDir, Map.of(Config.SENDER_WEBHOOK_URL,
                "http://127.0.0.1:" + closedPort + "/exits", Config.SENDER_WEBHOOK_SECRET, SECRET,
                Config.WEBHOOK_RETRY_SCHEDULE, "100ms"))) {
            String exitId = convert(service, "unreachable", "jo", "order-12");
            JsonNode state = null;
            for (int attempt = 0; attempt < 300; attempt++) {
                state = deliveryOf(service, exitId, "default");
                if (state.path("attempts").asInt() >= 2) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(state.path("attempts").asInt() >= 2, "retried: " + state);
            assertEquals("pending", state.path("state").asText());
            assertTrue(state.path("lastStatus").isNull(), state.toString());
            assertTrue(!state.path("lastError").asText().isBlank(), state.toString());
            assertTrue(state.path("nextAttemptAt").isTextual(), state.toString());
        }
    }

    @Test
    void anUndeliveredExitIsSentAfterARestart() throws Exception {
        String exitId;
        try (TestService service = TestService.start(dataDir)) {
            exitId = convert(service, "later", "cy", "order-9");
        }
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestService service = TestService.start(dataDir, single(receiver))) {
            assertEquals(exitId, receiver.next().webhookId());
            awaitState(service, exitId, "default", "delivered");
        }
    }

    @Test
    void exitsDeliveredBeforePerEndpointDeliveryAreNotSentAgain() throws Exception {
        String delivered;
        String undelivered;
        try (TestService service = TestService.start(dataDir)) {
            delivered = convert(service, "upgrade", "hal", "order-10");
            service.enroll("upgrade", "ida", ENROLLED);
            service.event("order-11", "ida", "Placed Order", AFTER, null);
            undelivered = expect(200, service.get("/v1/campaigns/upgrade/enrollments/ida")).body()
                    .path("exit").path("id").asText();
        }
        // What the previous version recorded for an exit its single webhook had accepted.
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("conversion-rules.db"));
             PreparedStatement update = db.prepareStatement(
                     "UPDATE exits SET attempts = 1, last_status = 200, delivered_at = 1 WHERE id = ?")) {
            update.setString(1, delivered);
            assertEquals(1, update.executeUpdate());
        }
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestService service = TestService.start(dataDir, single(receiver))) {
            assertEquals(undelivered, receiver.next().webhookId());
            awaitState(service, undelivered, "default", "delivered");
            assertNull(receiver.within(1000), "the exit delivered before the upgrade is not sent again");
            assertTrue(deliveryOf(service, delivered, "default").isMissingNode());
        }
    }

    private static JsonNode endpoint(TestService service) {
        return expect(200, service.get("/v1/webhook-endpoints")).body().path("endpoints").get(0);
    }

    private static JsonNode deliveryOf(TestService service, String exitId, String endpoint) {
        for (JsonNode exit : expect(200, service.get("/v1/exits?limit=1000")).body().path("exits")) {
            if (exit.path("id").asText().equals(exitId)) {
                return exit.path("deliveries").path(endpoint);
            }
        }
        throw new AssertionError("exit " + exitId + " is not on the feed");
    }

    /** The delivery state of an exit on the feed, once it reaches the given state. */
    private static JsonNode awaitState(TestService service, String exitId, String endpoint, String state)
            throws InterruptedException {
        JsonNode delivery = null;
        for (int attempt = 0; attempt < 300; attempt++) {
            delivery = deliveryOf(service, exitId, endpoint);
            if (delivery.path("state").asText().equals(state)) {
                return delivery;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the delivery of exit " + exitId + " to " + endpoint + " never became " + state
                + "; last seen " + delivery);
    }
}
