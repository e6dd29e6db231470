package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exits reach the sender's webhook, a real HTTP receiver, with a stable id, retried until accepted. */
class WebhookTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @TempDir
    Path dataDir;

    @Test
    void aConversionIsPostedToTheSenderWithItsStableId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0);
             TestService service = TestService.start(dataDir, Map.of("SENDER_WEBHOOK_URL", receiver.url(), "SENDER_WEBHOOK_SECRET", SECRET))) {
            service.liveCampaign("hook", "multi_touch", "placed_order");
            service.enroll("hook", "ann", "2026-11-01T10:00:00Z");
            service.event("order-1", "ann", "Placed Order", "2026-11-02T10:00:00Z", null);

            WebhookReceiver.Delivery delivery = receiver.next();
            JsonNode exit = TestService.JSON.readTree(delivery.body());
            assertEquals("application/json", delivery.contentType());
            assertEquals(exit.path("id").asText(), delivery.webhookId());
            assertEquals("hook", exit.path("campaignId").asText());
            assertEquals("ann", exit.path("userId").asText());
            assertEquals("converted", exit.path("reason").asText());
            assertEquals("placed_order", exit.path("conversionEvent").asText());
            assertEquals("order-1", exit.path("eventId").asText());
            String stored = expect(200, service.get("/v1/campaigns/hook/enrollments/ann")).body()
                    .path("exit").path("id").asText();
            assertEquals(stored, delivery.webhookId());
        }
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameIdAndRecorded() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(2);
             TestService service = TestService.start(dataDir, Map.of("SENDER_WEBHOOK_URL", receiver.url(), "SENDER_WEBHOOK_SECRET", SECRET))) {
            service.liveCampaign("retry", "multi_touch", "site_active");
            service.enroll("retry", "bob", "2026-11-01T10:00:00Z");
            service.event("visit-1", "bob", "Active on Site", "2026-11-02T10:00:00Z", null);

            WebhookReceiver.Delivery first = receiver.next();
            WebhookReceiver.Delivery second = receiver.next();
            WebhookReceiver.Delivery third = receiver.next();
            assertEquals(503, first.answeredWith());
            assertEquals(503, second.answeredWith());
            assertEquals(204, third.answeredWith());
            assertEquals(first.webhookId(), second.webhookId());
            assertEquals(first.webhookId(), third.webhookId());
            assertEquals(first.body(), third.body());

            JsonNode delivery = awaitDelivered(service, first.webhookId());
            assertEquals(3, delivery.path("attempts").asInt());
            assertEquals(204, delivery.path("lastStatus").asInt());
        }
    }

    @Test
    void anUndeliveredExitIsSentAfterARestart() throws Exception {
        String exitId;
        try (TestService service = TestService.start(dataDir)) {
            service.liveCampaign("later", "multi_touch", "placed_order");
            service.enroll("later", "cy", "2026-11-01T10:00:00Z");
            service.event("order-9", "cy", "Placed Order", "2026-11-02T10:00:00Z", null);
            exitId = expect(200, service.get("/v1/campaigns/later/enrollments/cy")).body().path("exit").path("id").asText();
        }
        try (WebhookReceiver receiver = new WebhookReceiver(0);
             TestService service = TestService.start(dataDir, Map.of("SENDER_WEBHOOK_URL", receiver.url(), "SENDER_WEBHOOK_SECRET", SECRET))) {
            assertEquals(exitId, receiver.next().webhookId());
            awaitDelivered(service, exitId);
        }
    }

    /** The delivery state of an exit on the feed, once the service has recorded it as delivered. */
    private static JsonNode awaitDelivered(TestService service, String exitId) throws InterruptedException {
        for (int attempt = 0; attempt < 300; attempt++) {
            for (JsonNode exit : expect(200, service.get("/v1/exits?limit=1000")).body().path("exits")) {
                if (exit.path("id").asText().equals(exitId) && exit.path("delivery").path("delivered").asBoolean()) {
                    assertTrue(exit.path("delivery").path("deliveredAt").isTextual());
                    return exit.path("delivery");
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("exit " + exitId + " was never recorded as delivered");
    }
}
