package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.config.KafkaSettings;
import com.conversionrules.http.TestService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ClusterSmokeTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void anEventConvertsThroughKafka() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start(dir.resolve("kafka"));
             TestService service = TestService.start(dir.resolve("a"), Map.of(
                     KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                     KafkaSettings.KAFKA_PARTITIONS, "4"))) {
            service.liveCampaign("spring", "multi_touch", "placed_order");
            TestService.expect(202, service.post("/v1/campaigns/spring/enrollments",
                    "{\"userId\":\"u1\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}"));
            TestService.expect(202, service.post("/v1/events",
                    "{\"id\":\"e1\",\"userId\":\"u1\",\"name\":\"Placed Order\",\"time\":\"2026-01-02T00:00:00Z\"}"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<ConsumerRecord<String, byte[]>> exits = List.of();
            while (exits.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                exits = kafka.readAll("conversion-rules.exits", Duration.ofSeconds(10));
            }
            assertEquals(1, exits.size());
            assertEquals("u1", exits.get(0).key());
            System.out.println(new String(exits.get(0).value()));
        }
    }
}
