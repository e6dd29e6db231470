package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.config.KafkaSettings;
import com.conversionrules.http.TestService;
import com.conversionrules.http.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the service on one Kafka cluster, as two machines would run it: a campaign made
 * on one, users enrolled on the other, events posted to both and produced straight to the topic;
 * every conversion shows on both instances' reads, once on the exits topic, and on the sender's
 * webhook with stable ids.
 */
class ClusterJourneyTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final int USERS = 30;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    static Map<String, String> settings(KafkaTestCluster kafka, String webhookUrl) {
        Map<String, String> settings = new HashMap<>();
        settings.put(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        settings.put(KafkaSettings.KAFKA_PARTITIONS, "4");
        settings.put(KafkaSettings.KAFKA_SESSION_TIMEOUT, "6s");
        settings.put(Config.SHARDS, "1");
        if (webhookUrl != null) {
            settings.put(Config.SENDER_WEBHOOK_URL, webhookUrl);
            settings.put(Config.SENDER_WEBHOOK_SECRET, SECRET);
        }
        return settings;
    }

    @Test
    @Timeout(240)
    void aCampaignMadeOnOneInstanceConvertsUsersEnrolledOnTheOther() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start(dir.resolve("kafka"));
             WebhookReceiver receiver = new WebhookReceiver();
             TestService a = TestService.start(dir.resolve("a"), settings(kafka, receiver.url()));
             TestService b = TestService.start(dir.resolve("b"), settings(kafka, receiver.url()))) {
            a.liveCampaign("spring", "multi_touch", "placed_order");
            // The instance that made a change reads it back before answering: its next request sees it
            // (an older change read late from the campaigns topic once put a launched campaign back to draft).
            for (int i = 0; i < 10; i++) {
                a.liveCampaign("quick-" + i, "multi_touch", "placed_order");
                assertEquals("live", a.get("/v1/campaigns/quick-" + i).body().path("status").asText());
                TestService.expect(202, a.post("/v1/campaigns/quick-" + i + "/enrollments", "{\"userId\":\"u\"}"));
            }
            // The other instance reads the campaign from the catalogue moments later.
            await("instance b knows the campaign is live",
                    () -> "live".equals(b.get("/v1/campaigns/spring").body().path("status").asText()));

            StringBuilder enrollments = new StringBuilder("{\"enrollments\":[");
            for (int i = 0; i < USERS; i++) {
                enrollments.append(i == 0 ? "" : ",").append("{\"userId\":\"user-").append(i)
                        .append("\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}");
            }
            JsonNode queued = TestService.expect(202, b.post("/v1/campaigns/spring/enrollments",
                    enrollments.append("]}").toString())).body();
            assertEquals(USERS, queued.path("queued").asInt());

            try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
                for (int i = 0; i < USERS; i++) {
                    String event = "{\"id\":\"order-" + i + "\",\"userId\":\"user-" + i + "\",\"name\":\"Placed Order\","
                            + "\"time\":\"2026-01-02T00:00:00Z\",\"properties\":{\"value\":10}}";
                    switch (i % 3) {
                        case 0 -> TestService.expect(202, a.post("/v1/events", event));
                        case 1 -> TestService.expect(202, b.post("/v1/events", event));
                        default -> producer.send(new ProducerRecord<>("conversion-rules.events", "user-" + i,
                                event.getBytes(StandardCharsets.UTF_8))).get();
                    }
                }
            }
            // The same event again, on the other instance: a duplicate, evaluated once.
            TestService.expect(202, b.post("/v1/events", "{\"id\":\"order-0\",\"userId\":\"user-0\","
                    + "\"name\":\"Placed Order\",\"time\":\"2026-01-02T00:00:00Z\"}"));

            for (TestService instance : List.of(a, b)) {
                await("every user converted, read on " + instance.port(), () -> {
                    for (int i = 0; i < USERS; i++) {
                        TestService.Reply reply = instance.get("/v1/campaigns/spring/enrollments/user-" + i);
                        if (reply.status() != 200 || !"converted".equals(reply.body().path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
                await("stats add up every partition on " + instance.port(), () -> {
                    JsonNode stats = instance.get("/v1/campaigns/spring/stats").body();
                    return stats.path("enrolled").asInt() == USERS && stats.path("converted").asInt() == USERS
                            && stats.path("active").asInt() == 0 && stats.path("revenue").asDouble() == 10.0 * USERS;
                });
                JsonNode performed = TestService.expect(200, instance.get(
                        "/v1/users/user-7/performed?event=Placed%20Order")).body();
                assertEquals(1, performed.path("count").asInt(), performed.toString());
                JsonNode campaigns = TestService.expect(200, instance.get("/v1/users/user-7/campaigns")).body();
                assertEquals("converted", campaigns.path("enrollments").path(0).path("status").asText(),
                        campaigns.toString());
                assertEquals("order-7", campaigns.path("enrollments").path(0).path("exit").path("event").path("id")
                        .asText(), campaigns.toString());
                await("the exits feed lists every exit on " + instance.port(),
                        () -> instance.get("/v1/exits?limit=100").body().path("exits").size() == USERS);
            }

            // Both evaluate a share of the partitions, and say so on /health/ready and /metrics.
            int evaluated = 0;
            for (TestService instance : List.of(a, b)) {
                TestService.expect(200, instance.get("/health/ready"));
                String metrics = instance.get("/metrics").body().asText();
                assertTrue(metrics.contains("conversion_partition_lag{partition=\"3\"}"), metrics);
                assertTrue(metrics.contains("conversion_partition_restore_remaining{partition=\"0\"} 0.0"), metrics);
                Matcher owned = Pattern.compile("conversion_partitions_evaluated\\{[^}]*} ([0-9.]+)").matcher(metrics);
                assertTrue(owned.find(), metrics);
                evaluated += (int) Double.parseDouble(owned.group(1));
            }
            assertEquals(4, evaluated, "each of the 4 partitions evaluated on one instance");

            List<ConsumerRecord<String, byte[]>> exits = kafka.readAll("conversion-rules.exits", Duration.ofSeconds(10));
            assertEquals(USERS, exits.size(), "one exit per user on the exits topic");
            Set<String> exitIds = new HashSet<>();
            Set<String> users = new HashSet<>();
            for (ConsumerRecord<String, byte[]> record : exits) {
                JsonNode envelope = TestService.JSON.readTree(record.value());
                exitIds.add(envelope.path("id").asText());
                users.add(envelope.path("data").path("userId").asText());
                assertEquals(record.key(), envelope.path("data").path("userId").asText(), "keyed by user id");
            }
            assertEquals(USERS, exitIds.size());
            assertEquals(USERS, users.size());

            // Every exit reaches the webhook at least once, signed, under its stable id.
            Webhook verifier = new Webhook(SECRET);
            Set<String> delivered = new HashSet<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!delivered.containsAll(exitIds) && System.nanoTime() < deadline) {
                WebhookReceiver.Delivery delivery = receiver.within(1_000);
                if (delivery != null) {
                    verifier.verify(delivery.body(), HttpHeaders.of(delivery.headers(), (name, value) -> true));
                    delivered.add(delivery.webhookId());
                }
            }
            assertTrue(delivered.containsAll(exitIds), "delivered " + delivered.size() + " of " + exitIds.size());
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(200);
        }
    }
}
