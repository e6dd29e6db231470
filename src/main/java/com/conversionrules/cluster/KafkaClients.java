package com.conversionrules.cluster;

import com.conversionrules.config.KafkaSettings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The settings of every Kafka client this service makes: the operator's own (TLS, SASL, ...) first, then ours. */
final class KafkaClients {
    private final KafkaSettings settings;

    KafkaClients(KafkaSettings settings) {
        this.settings = settings;
    }

    KafkaSettings settings() {
        return settings;
    }

    /** The operator's client properties and the bootstrap servers, under {@code overrides}. */
    Properties base(Map<String, Object> overrides) {
        Properties properties = new Properties();
        properties.putAll(settings.clientProperties());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        properties.putAll(overrides);
        return properties;
    }

    Admin admin() {
        return Admin.create(base(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-admin")));
    }

    /**
     * The producer requests go through: idempotent with acks from every in-sync replica, so an
     * acknowledged record is on every replica and a retry never writes it twice.
     */
    KafkaProducer<String, byte[]> intakeProducer() {
        return new KafkaProducer<>(base(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-intake",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // A request waits at most this long for metadata or buffer room before it is refused.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)),
                new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * The producer campaign changes go through, in transactions: a change reaches the campaigns topic
     * and every partition of the events topic, or none of them.
     */
    KafkaProducer<String, byte[]> transactionalProducer(String transactionalId) {
        return new KafkaProducer<>(base(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-campaigns",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                // A change left open by an instance that died holds back readers until it times out.
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000)),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer of committed records only, with no group: the caller assigns its partitions. */
    KafkaConsumer<String, byte[]> reader(String clientId) {
        return new KafkaConsumer<>(base(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-" + clientId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A member of {@code group} reading committed records; it commits its offsets itself. It leaves
     * the group after {@code KAFKA_SESSION_TIMEOUT} without a heartbeat, as the stream threads do, so
     * a dead instance's share moves as soon as its partitions do (the client's default is 45 s).
     */
    KafkaConsumer<String, byte[]> groupMember(String group, String clientId) {
        return new KafkaConsumer<>(groupMemberProperties(group, clientId), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    Properties groupMemberProperties(String group, String clientId) {
        return base(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-" + clientId,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, heartbeatIntervalMs()));
    }

    /** {@code KAFKA_SESSION_TIMEOUT}, for every group member this service makes. */
    int sessionTimeoutMs() {
        return (int) settings.sessionTimeout().toMillis();
    }

    /** A fifth of the session timeout: a member misses several heartbeats before it counts as gone. */
    int heartbeatIntervalMs() {
        return Math.max(100, sessionTimeoutMs() / 5);
    }
}
