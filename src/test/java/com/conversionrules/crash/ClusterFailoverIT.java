package com.conversionrules.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.cluster.KafkaTestCluster;
import com.conversionrules.http.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged instances on one Kafka cluster; one is killed with SIGKILL while clients stream
 * events to both. Clients send what an instance did not acknowledge to the other one, as a load
 * balancer would. The survivor takes over the dead instance's partitions: every user whose
 * converting event was acknowledged converts, each exactly once on the exits topic (a
 * read_committed reader sees the dead instance's open transaction aborted), the killed instance,
 * started again on its data, rejoins and answers reads, and every exit reaches the sender's webhook
 * at least once (the killed instance's outbox resumes where it stopped).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterFailoverIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 2_000;
    private static final int PER_REQUEST = 20;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theSurvivorTakesOverAKilledInstanceWithNothingAcknowledgedLostAndNoExitTwice() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start(dir.resolve("kafka"));
             WebhookReceiver receiver = new WebhookReceiver()) {
            Map<String, String> settings = new HashMap<>();
            settings.put("SENDER_WEBHOOK_URL", receiver.url());
            settings.put("SENDER_WEBHOOK_SECRET", ServiceProcess.WEBHOOK_SECRET);
            settings.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            settings.put("KAFKA_PARTITIONS", "4");
            settings.put("KAFKA_SESSION_TIMEOUT", "6s");
            settings.put("SHARDS", "1");
            try (ServiceProcess a = new ServiceProcess(dir.resolve("a"), dir.resolve("a.log"), settings);
                 ServiceProcess b = new ServiceProcess(dir.resolve("b"), dir.resolve("b.log"), settings)) {
                a.start();
                b.start();
                await("both instances evaluate partitions", () -> a.ready() && b.ready());
                expect(201, send(a, "POST", "/v1/campaigns", "{\"id\":\"spring\",\"name\":\"Spring\","
                        + "\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}"));
                expect(200, send(a, "POST", "/v1/campaigns/spring/launch", null));
                await("instance b knows the campaign is live", () -> send(b, "GET", "/v1/campaigns/spring", null)
                        .path("status").asText().equals("live"));
                for (int from = 0; from < USERS; from += 1_000) {
                    StringBuilder body = new StringBuilder("{\"enrollments\":[");
                    for (int i = from; i < from + 1_000; i++) {
                        body.append(i == from ? "" : ",").append("{\"userId\":\"user-").append(i)
                                .append("\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}");
                    }
                    expect(202, send(b, "POST", "/v1/campaigns/spring/enrollments", body.append("]}").toString()));
                }

                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                int requests = USERS / PER_REQUEST;
                boolean killed = false;
                for (int r = 0; r < requests; r++) {
                    if (r == requests / 3) {
                        b.kill();
                        killed = true;
                    }
                    StringBuilder body = new StringBuilder("{\"events\":[");
                    for (int i = r * PER_REQUEST; i < (r + 1) * PER_REQUEST; i++) {
                        body.append(i == r * PER_REQUEST ? "" : ",").append("{\"id\":\"order-").append(i)
                                .append("\",\"userId\":\"user-").append(i)
                                .append("\",\"name\":\"Placed Order\",\"time\":\"2026-01-02T00:00:00Z\"}");
                    }
                    body.append("]}");
                    // Half the requests go to b while it lives; what b does not acknowledge goes to a.
                    ServiceProcess first = r % 2 == 0 && !killed ? b : a;
                    int status = post(first, body.toString());
                    if (status != 202 && first == b) {
                        status = post(a, body.toString());
                    }
                    assertEquals(202, status, "the survivor takes events while the other is dead");
                    for (int i = r * PER_REQUEST; i < (r + 1) * PER_REQUEST; i++) {
                        acknowledged.add("user-" + i);
                    }
                }
                assertEquals(USERS, acknowledged.size());

                Map<String, Integer> exitsPerUser = new TreeMap<>();
                Set<String> exitIds = new HashSet<>();
                await("every acknowledged user converted on the exits topic", () -> {
                    exitsPerUser.clear();
                    exitIds.clear();
                    List<ConsumerRecord<String, byte[]>> exits = kafka.readAll("conversion-rules.exits",
                            Duration.ofSeconds(20));
                    for (ConsumerRecord<String, byte[]> record : exits) {
                        exitsPerUser.merge(record.key(), 1, Integer::sum);
                        exitIds.add(exitId(record.value()));
                    }
                    return exitsPerUser.keySet().containsAll(acknowledged);
                });
                List<String> twice = exitsPerUser.entrySet().stream().filter(entry -> entry.getValue() > 1)
                        .map(Map.Entry::getKey).limit(10).toList();
                assertTrue(twice.isEmpty(), "users with more than one exit on the topic: " + twice);
                assertEquals(USERS, exitsPerUser.size());

                b.start();
                await("the killed instance rejoins", () -> a.ready() && b.ready());
                for (ServiceProcess instance : List.of(a, b)) {
                    await("reads answer on " + instance.port(), () -> {
                        JsonNode stats = send(instance, "GET", "/v1/campaigns/spring/stats", null);
                        return stats.path("converted").asInt() == USERS && stats.path("active").asInt() == 0;
                    });
                    assertEquals("converted", send(instance, "GET", "/v1/campaigns/spring/enrollments/user-1", null)
                            .path("status").asText());
                }
                Set<String> delivered = new HashSet<>();
                await("every exit reached the webhook", () -> {
                    try {
                        for (WebhookReceiver.Delivery delivery = receiver.within(200); delivery != null;
                             delivery = receiver.within(0)) {
                            delivered.add(delivery.webhookId());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return delivered.containsAll(exitIds);
                });
            }
        }
    }

    private static String exitId(byte[] envelope) {
        try {
            return JSON.readTree(envelope).path("id").asText();
        } catch (IOException e) {
            throw new AssertionError("an exit on the topic is not JSON", e);
        }
    }

    private int post(ServiceProcess instance, String body) {
        try {
            return http.send(request(instance, "POST", "/v1/events", body), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException refused) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The answer's JSON with its status in {@code _status}; an instance that does not answer gives {@code _status} -1. */
    private JsonNode send(ServiceProcess instance, String method, String path, String body) {
        try {
            HttpResponse<String> response = http.send(request(instance, method, path, body),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return parsed instanceof ObjectNode object ? object.put("_status", response.statusCode()) : parsed;
        } catch (IOException e) {
            return JSON.createObjectNode().put("_status", -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createObjectNode().put("_status", -1);
        }
    }

    private static HttpRequest request(ServiceProcess instance, String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + ServiceProcess.keyFor(path))
                .header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static void expect(int status, JsonNode answer) {
        assertEquals(status, answer.path("_status").asInt(), answer.toString());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(250);
        }
    }
}
