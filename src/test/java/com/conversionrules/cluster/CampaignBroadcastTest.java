package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.config.Config;
import com.conversionrules.config.KafkaSettings;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign change reaches the catalogue and every partition of the events topic in one
 * transaction, and the instance that made it has read it back from the catalogue before the change
 * is answered (else an older change read late put a launched campaign back to draft).
 */
class CampaignBroadcastTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aChangeIsOnEveryPartitionInOrderAndReadBackBeforeItIsAnswered() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start(dir)) {
            KafkaSettings settings = Config.from(Map.of(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    KafkaSettings.KAFKA_PARTITIONS, "3", Config.WRITE_KEYS, "wk_aaaaaaaaaaaaaaaa",
                    Config.ADMIN_KEYS, "ak_cccccccccccccccc")).kafka().orElseThrow();
            KafkaClients clients = new KafkaClients(settings);
            try (Admin admin = clients.admin()) {
                ClusterTopics.ensure(admin, settings);
            }
            List<Campaign> readBack = new CopyOnWriteArrayList<>();
            try (CampaignCatalogue catalogue = new CampaignCatalogue(clients);
                 CampaignBroadcast broadcast = new CampaignBroadcast(clients, "test-campaigns", new AtomicReference<>(),
                         catalogue)) {
                assertEquals(List.of(), catalogue.readAll(Duration.ofSeconds(30)));
                catalogue.follow(readBack::add);
                Campaign draft = new Campaign("spring", "Spring", CampaignType.MULTI_TOUCH, "placed_order", null,
                        CampaignStatus.DRAFT, 1_000, null, null);
                Campaign live = draft.launched(2_000);
                for (Campaign change : List.of(draft, live)) {
                    broadcast.changeCampaign(change, change == draft).join();
                    assertEquals(change, readBack.get(readBack.size() - 1), "read back before the answer");
                }
            }
            Map<Integer, List<String>> byPartition = new TreeMap<>();
            for (ConsumerRecord<String, byte[]> record : kafka.readAll(settings.eventsTopic(), Duration.ofSeconds(10))) {
                assertEquals(Wire.CAMPAIGN, new String(record.headers().lastHeader(Wire.KIND).value(),
                        StandardCharsets.UTF_8));
                byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                        .add(Wire.campaign(record.value()).status().wire());
            }
            assertEquals(Map.of(0, List.of("draft", "live"), 1, List.of("draft", "live"), 2, List.of("draft", "live")),
                    byPartition);
        }
    }
}
