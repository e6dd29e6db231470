package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.config.KafkaSettings;
import com.conversionrules.http.FailingRuleTest;
import com.conversionrules.http.TestService;
import com.conversionrules.rules.ShippedRules;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Other systems produce events straight to the events topic: a valid one is evaluated like one
 * posted over HTTP; one that is not valid goes to the dead-letter topic with the reason, and the
 * partition keeps going. An event a rule fails on goes there too, and to the failed-events feed.
 */
@Timeout(180)
class DeadLetterTest {
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static KafkaTestCluster kafka;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaTestCluster.start(dir.resolve("kafka"));
        // The shipped rules and a refund policy that divides by zero on a refund of zero items.
        Path rules = ShippedRules.copyTo(dir.resolve("rules"));
        Files.writeString(rules.resolve("refund-requested.drl"), FailingRuleTest.REFUNDS);
        Files.writeString(rules.resolve("refund-requested.cases.yaml"), FailingRuleTest.REFUND_CASES);
        service = TestService.start(dir.resolve("instance"), Map.of(
                KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                KafkaSettings.KAFKA_PARTITIONS, Integer.toString(PARTITIONS),
                Config.RULES_DIR, rules.toString()));
        service.liveCampaign("spring", "multi_touch", "placed_order");
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void recordsThatAreNotValidGoToTheDeadLetterTopicAndThePartitionKeepsGoing() throws Exception {
        TestService.expect(202, service.post("/v1/campaigns/spring/enrollments",
                "{\"userId\":\"dl-user\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}"));
        int partition = ShardProcessor.partitionOf("dl-user", PARTITIONS);
        try (KafkaProducer<String, byte[]> producer = kafka.producer()) {
            producer.send(new ProducerRecord<>("conversion-rules.events", "dl-user", bytes("{not json"))).get();
            producer.send(new ProducerRecord<>("conversion-rules.events", "dl-user",
                    bytes("{\"id\":\"no-name\",\"userId\":\"dl-user\"}"))).get();
            int elsewhere = (partition + 1) % PARTITIONS;
            producer.send(new ProducerRecord<>("conversion-rules.events", elsewhere, "dl-user",
                    bytes("{\"id\":\"misplaced\",\"userId\":\"dl-user\",\"name\":\"Placed Order\"}"))).get();
            producer.send(new ProducerRecord<>("conversion-rules.events", "dl-user",
                    bytes("{\"id\":\"order-1\",\"userId\":\"dl-user\",\"name\":\"Placed Order\","
                            + "\"time\":\"2026-01-02T00:00:00Z\",\"properties\":{\"value\":42}}"))).get();
        }

        List<ConsumerRecord<String, byte[]>> exits = await("conversion-rules.exits", 1,
                record -> "dl-user".equals(record.key()));
        String exit = new String(exits.get(0).value(), StandardCharsets.UTF_8);
        assertTrue(exit.contains("\"eventId\":\"order-1\"") && exit.contains("\"value\":42.0"), exit);

        List<ConsumerRecord<String, byte[]>> letters = await("conversion-rules.events.dead-letter", 3,
                record -> "dl-user".equals(record.key()));
        // The misplaced record is on another partition: its letter may come before or after the others.
        List<ConsumerRecord<String, byte[]>> invalid = letters.stream()
                .filter(letter -> "invalid".equals(header(letter, DeadLetters.KIND))).toList();
        assertEquals(2, invalid.size(), "two invalid records");
        assertEquals("{not json", new String(invalid.get(0).value(), StandardCharsets.UTF_8));
        assertTrue(header(invalid.get(0), DeadLetters.REASON).contains("not valid JSON"),
                header(invalid.get(0), DeadLetters.REASON));
        assertEquals(Integer.toString(partition), header(invalid.get(0), DeadLetters.SOURCE_PARTITION));
        assertTrue(header(invalid.get(1), DeadLetters.REASON).contains("name"), header(invalid.get(1), DeadLetters.REASON));
        ConsumerRecord<String, byte[]> misplaced = letters.stream()
                .filter(letter -> "wrong_partition".equals(header(letter, DeadLetters.KIND))).findFirst().orElseThrow();
        assertTrue(header(misplaced, DeadLetters.REASON).contains("belongs to partition " + partition),
                header(misplaced, DeadLetters.REASON));

        String metrics = service.get("/metrics").body().asText();
        assertTrue(metrics.contains("conversion_dead_letters_total{kind=\"invalid\"} 2.0"), metrics);
        assertTrue(metrics.contains("conversion_dead_letters_total{kind=\"wrong_partition\"} 1.0"), metrics);
    }

    @Test
    void anEventARuleFailsOnIsSetAsideWithTheRuleAndTheUserStaysActive() throws Exception {
        service.liveCampaign("winback", "multi_touch", "refund_requested");
        TestService.expect(202, service.post("/v1/campaigns/winback/enrollments", "{\"userId\":\"refunder\"}"));
        TestService.expect(202, service.post("/v1/events", "{\"id\":\"refund-1\",\"userId\":\"refunder\","
                + "\"name\":\"Refund Requested\",\"properties\":{\"items\":0}}"));

        ConsumerRecord<String, byte[]> letter = await("conversion-rules.events.dead-letter", 1,
                record -> "refunder".equals(record.key())).get(0);
        assertEquals(DeadLetters.RULE_FAILED, header(letter, DeadLetters.KIND));
        assertEquals("A refund request converts the user out of every live campaign waiting for one",
                header(letter, DeadLetters.RULE));
        assertEquals("refund-requested.drl", header(letter, DeadLetters.RULE_FILE));
        assertTrue(header(letter, DeadLetters.REASON).contains("/ by zero"), header(letter, DeadLetters.REASON));
        assertTrue(new String(letter.value(), StandardCharsets.UTF_8).contains("\"id\":\"refund-1\""));

        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode feed = service.get("/v1/failed-events").body();
        while (feed.path("failedEvents").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            feed = service.get("/v1/failed-events").body();
        }
        assertEquals("refund-1", feed.path("failedEvents").path(0).path("event").path("id").asText(), feed.toString());
        assertEquals("refund-requested.drl", feed.path("failedEvents").path(0).path("rule").path("file").asText());
        assertEquals("active", service.status("winback", "refunder"), "nothing of the event was applied");
    }

    private static List<ConsumerRecord<String, byte[]>> await(String topic, int count,
                                                              Predicate<ConsumerRecord<String, byte[]>> which)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ConsumerRecord<String, byte[]>> found = List.of();
        while (System.nanoTime() < deadline) {
            found = kafka.readAll(topic, Duration.ofSeconds(10)).stream().filter(which).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + count + " records on " + topic + " within " + WAIT + ", found "
                + found.size());
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
