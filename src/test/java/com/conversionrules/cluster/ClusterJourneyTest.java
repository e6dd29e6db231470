package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.config.KafkaSettings;
import com.conversionrules.http.TestService;
import com.conversionrules.http.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * webhook with stable ids; the cluster-wide reads (campaigns, stats, rules, the exits feed and its
 * cursor, the sender's figures) answer the same on both.
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

    /** The receiver as endpoint {@code default}, and an endpoint {@code down} nothing listens at: its deliveries wait. */
    private static Map<String, String> withAnEndpointDown(KafkaTestCluster kafka, String receiverUrl) throws IOException {
        Map<String, String> settings = settings(kafka, null);
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        settings.put(Config.SENDER_WEBHOOKS, "default=" + receiverUrl + "|" + SECRET + ",down=http://127.0.0.1:" + closed
                + "/hooks|" + SECRET);
        return settings;
    }

    @Test
    @Timeout(240)
    void aCampaignMadeOnOneInstanceConvertsUsersEnrolledOnTheOther() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start(dir.resolve("kafka"));
             WebhookReceiver receiver = new WebhookReceiver();
             TestService a = TestService.start(dir.resolve("a"), withAnEndpointDown(kafka, receiver.url()));
             TestService b = TestService.start(dir.resolve("b"), withAnEndpointDown(kafka, receiver.url()))) {
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
            // Each instance sends the webhooks of a share of the exits topic once the sender group has
            // split it between them (the first to join holds every partition until then).
            for (TestService instance : List.of(a, b)) {
                await("the sender group gives " + instance.port() + " a share", () -> {
                    Matcher sends = Pattern.compile("conversion_sender_partitions\\{[^}]*} ([0-9.]+)")
                            .matcher(instance.get("/metrics").body().asText());
                    return sends.find() && Double.parseDouble(sends.group(1)) >= 1;
                });
            }

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

            // A client pages the exits feed while exits still arrive, half of it on a, the rest on b:
            // each instance has its own copy, but the cursor is the same on both.
            List<String> paged = new ArrayList<>();
            String cursor = pageUntil(a, null, paged, USERS / 2);
            cursor = pageUntil(b, cursor, paged, USERS);
            assertEquals(USERS, paged.size(), "every exit once: " + paged);
            assertEquals(USERS, new HashSet<>(paged).size(), "no exit twice: " + paged);
            for (TestService instance : List.of(a, b)) {
                JsonNode end = TestService.expect(200, instance.get("/v1/exits?after=" + cursor)).body();
                assertEquals(0, end.path("exits").size(), end.toString());
                assertEquals(cursor, end.path("next").asText());
            }
            TestService.assertDetailContains(TestService.expect(400, a.get("/v1/exits?after=17")), "embedded",
                    "leave after out");
            TestService.assertDetailContains(TestService.expect(400, b.get("/v1/exits?after="
                    + cursor.substring(0, cursor.length() - 3))), "exactly as it came");

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

            // Cluster-wide reads give the same answer on both instances.
            for (String read : List.of("/v1/campaigns", "/v1/campaigns/spring", "/v1/campaigns/spring/stats",
                    "/v1/conversion-events")) {
                assertEquals(TestService.expect(200, a.get(read)).body(), TestService.expect(200, b.get(read)).body(),
                        read);
            }
            JsonNode rulesOnA = TestService.expect(200, a.get("/v1/rules")).body();
            JsonNode rulesOnB = TestService.expect(200, b.get("/v1/rules")).body();
            assertEquals(rulesOnA.path("version"), rulesOnB.path("version"));
            assertEquals(rulesOnA.path("files"), rulesOnB.path("files"));

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

            // Each instance's outbox holds the exits of its share of the partitions; both instances add
            // the shares up to the same figures: every exit waits for the endpoint that is down.
            for (TestService instance : List.of(a, b)) {
                await("the sender's figures add up every instance's on " + instance.port(), () -> {
                    JsonNode endpoints = instance.get("/v1/webhook-endpoints").body().path("endpoints");
                    return endpoint(endpoints, "default").path("waiting").asInt() == 0
                            && endpoint(endpoints, "down").path("waiting").asInt() >= USERS;
                });
            }
            JsonNode onA = TestService.expect(200, a.get("/v1/webhook-endpoints")).body();
            assertEquals(onA, TestService.expect(200, b.get("/v1/webhook-endpoints")).body());
            int shareOfA = endpoint(TestService.expect(200, a.get("/v1/cluster/webhook-endpoints")).body()
                    .path("endpoints"), "down").path("waiting").asInt();
            int shareOfB = endpoint(TestService.expect(200, b.get("/v1/cluster/webhook-endpoints")).body()
                    .path("endpoints"), "down").path("waiting").asInt();
            assertTrue(shareOfA > 0 && shareOfB > 0, "each sends a share: " + shareOfA + " and " + shareOfB);
            assertEquals(shareOfA + shareOfB, endpoint(onA.path("endpoints"), "down").path("waiting").asInt(), onA.toString());
            assertTrue(endpoint(onA.path("endpoints"), "down").path("configured").asBoolean(), onA.toString());
        }
    }

    private static JsonNode endpoint(JsonNode endpoints, String name) {
        for (JsonNode endpoint : endpoints) {
            if (name.equals(endpoint.path("name").asText())) {
                return endpoint;
            }
        }
        return TestService.JSON.missingNode();
    }

    /** Pages {@code GET /v1/exits} from {@code cursor}, a few at a time, until {@code read} holds {@code until}. */
    private static String pageUntil(TestService instance, String cursor, List<String> read, int until)
            throws InterruptedException {
        String next = cursor;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (read.size() < until) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the feed on " + instance.port() + " gave " + read.size() + " exits of " + until);
            }
            JsonNode page = TestService.expect(200, instance.get("/v1/exits?limit=4"
                    + (next == null ? "" : "&after=" + next))).body();
            page.path("exits").forEach(exit -> read.add(exit.path("id").asText()));
            next = page.path("next").asText();
            if (page.path("exits").isEmpty()) {
                Thread.sleep(100);
            }
        }
        return next;
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
