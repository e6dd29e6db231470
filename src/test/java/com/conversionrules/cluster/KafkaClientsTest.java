package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.config.KafkaSettings;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    /**
     * The sender's and the read model's group members once kept the client's 45 s session: a killed
     * instance's webhooks stopped for 45 s though its partitions moved after KAFKA_SESSION_TIMEOUT.
     */
    @Test
    void groupMembersLeaveAfterTheConfiguredSessionTimeout() {
        Properties operator = new Properties();
        operator.setProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "60000");
        operator.setProperty("security.protocol", "SSL");
        KafkaClients clients = new KafkaClients(new KafkaSettings("127.0.0.1:9092", "app", 4, "app", null, 1,
                "127.0.0.1:8080", Duration.ofSeconds(7), operator));

        Properties member = clients.groupMemberProperties("app.sender", "sender");

        assertEquals(7_000, member.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(1_400, member.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
        assertEquals("app.sender", member.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("SSL", member.get("security.protocol"), "the operator's other settings kept");
    }
}
