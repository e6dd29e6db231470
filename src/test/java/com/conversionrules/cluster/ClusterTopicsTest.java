package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.config.Config;
import com.conversionrules.config.KafkaSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Instances that start together on a new cluster all start: the one that creates the topics second goes on. */
class ClusterTopicsTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void instancesStartingTogetherBothFindTheTopicsOneOfThemCreated() throws Exception {
        try (KafkaTestCluster kafka = KafkaTestCluster.start(dir)) {
            for (int round = 0; round < 5; round++) {
                KafkaSettings settings = Config.from(Map.of(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS,
                        kafka.bootstrapServers(), KafkaSettings.KAFKA_PARTITIONS, "2", KafkaSettings.KAFKA_TOPIC_PREFIX,
                        "round-" + round + ".", Config.WRITE_KEYS, "wk_aaaaaaaaaaaaaaaa", Config.ADMIN_KEYS,
                        "ak_cccccccccccccccc")).kafka().orElseThrow();
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<Short>> starts = new ArrayList<>();
                for (int instance = 0; instance < 2; instance++) {
                    starts.add(CompletableFuture.supplyAsync(() -> {
                        try (Admin admin = new KafkaClients(settings).admin()) {
                            together.await();
                            return ClusterTopics.ensure(admin, settings);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
                }
                for (CompletableFuture<Short> start : starts) {
                    assertEquals((short) 1, start.join(), "round " + round);
                }
            }
        }
    }
}
