package com.conversionrules.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where the service runs on several machines: with {@code KAFKA_BOOTSTRAP_SERVERS} set, the
 * instance joins the cluster named by the application id; unset, it runs embedded and none of this
 * is read.
 *
 * @param bootstrapServers  the brokers to connect to first ({@code host:port,...})
 * @param applicationId     names the cluster: instances with the same id share the work
 * @param partitions        partitions of the events topic, fixed when it is created: the most instances that can share the work
 * @param topicPrefix       put before every topic name
 * @param replicationFactor replicas of every topic this service creates; null means 3, or fewer when the cluster has fewer brokers
 * @param standbyReplicas   warm copies of each partition's state on other instances, for fast failover
 * @param applicationServer {@code host:port} the other instances reach this one's HTTP API at; null means HOST and the bound port
 * @param sessionTimeout    how long an instance that stopped answering keeps its partitions before another takes them
 * @param clientProperties  extra Kafka client settings (TLS, SASL, ...) from the file {@code KAFKA_CLIENT_PROPERTIES}
 */
public record KafkaSettings(String bootstrapServers, String applicationId, int partitions, String topicPrefix,
                            Integer replicationFactor, int standbyReplicas, String applicationServer,
                            Duration sessionTimeout, Properties clientProperties) {
    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String KAFKA_APPLICATION_ID = "KAFKA_APPLICATION_ID";
    public static final String KAFKA_PARTITIONS = "KAFKA_PARTITIONS";
    public static final String KAFKA_TOPIC_PREFIX = "KAFKA_TOPIC_PREFIX";
    public static final String KAFKA_REPLICATION_FACTOR = "KAFKA_REPLICATION_FACTOR";
    public static final String KAFKA_STANDBY_REPLICAS = "KAFKA_STANDBY_REPLICAS";
    public static final String KAFKA_APPLICATION_SERVER = "KAFKA_APPLICATION_SERVER";
    public static final String KAFKA_SESSION_TIMEOUT = "KAFKA_SESSION_TIMEOUT";
    public static final String KAFKA_CLIENT_PROPERTIES = "KAFKA_CLIENT_PROPERTIES";

    static final String DEFAULT_APPLICATION_ID = "conversion-rules";
    /** Kafka's own rule for application ids and topic names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}");

    /** Empty when {@code KAFKA_BOOTSTRAP_SERVERS} is unset: the service runs embedded. */
    static Optional<KafkaSettings> read(Map<String, String> env) {
        String bootstrap = env.get(KAFKA_BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            return Optional.empty();
        }
        String applicationId = name(KAFKA_APPLICATION_ID, env.getOrDefault(KAFKA_APPLICATION_ID, DEFAULT_APPLICATION_ID));
        String prefix = env.getOrDefault(KAFKA_TOPIC_PREFIX, applicationId + ".");
        if (!prefix.isEmpty()) {
            name(KAFKA_TOPIC_PREFIX, prefix);
        }
        String replication = env.get(KAFKA_REPLICATION_FACTOR);
        Integer replicationFactor = replication == null || replication.isBlank() ? null
                : Config.integer(env, KAFKA_REPLICATION_FACTOR, 3, 1, 32);
        String server = env.get(KAFKA_APPLICATION_SERVER);
        if (server != null && !server.isBlank() && !SERVER.matcher(server.strip()).matches()) {
            throw new IllegalArgumentException(KAFKA_APPLICATION_SERVER + " must be host:port, as the other instances "
                    + "reach this one's HTTP API, got '" + server + "'");
        }
        return Optional.of(new KafkaSettings(bootstrap.strip(), applicationId,
                Config.integer(env, KAFKA_PARTITIONS, 12, 1, 10_000), prefix, replicationFactor,
                Config.integer(env, KAFKA_STANDBY_REPLICAS, 1, 0, 8),
                server == null || server.isBlank() ? null : server.strip(),
                sessionTimeout(env.getOrDefault(KAFKA_SESSION_TIMEOUT, "10s")),
                clientProperties(env.get(KAFKA_CLIENT_PROPERTIES))));
    }

    public String eventsTopic() {
        return topicPrefix + "events";
    }

    public String deadLetterTopic() {
        return topicPrefix + "events.dead-letter";
    }

    public String exitsTopic() {
        return topicPrefix + "exits";
    }

    public String campaignsTopic() {
        return topicPrefix + "campaigns";
    }

    private static String name(String setting, String value) {
        if (!NAME.matcher(value).matches() || value.length() > 200) {
            throw new IllegalArgumentException(setting + " may hold only letters, digits, '.', '_' and '-' (at most "
                    + "200), as Kafka names do, got '" + value + "'");
        }
        return value;
    }

    /** Brokers accept 6 s to 30 min unless configured otherwise; shorter fails over faster but mistakes GC pauses for deaths. */
    private static Duration sessionTimeout(String raw) {
        Duration timeout = Durations.parse(KAFKA_SESSION_TIMEOUT, raw);
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException(KAFKA_SESSION_TIMEOUT + " must be between 1s and 30m (the brokers "
                    + "accept 6s to 30m by default), got " + raw);
        }
        return timeout;
    }

    private static Properties clientProperties(String file) {
        Properties properties = new Properties();
        if (file == null || file.isBlank()) {
            return properties;
        }
        try (InputStream in = Files.newInputStream(Path.of(file.strip()))) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(KAFKA_CLIENT_PROPERTIES + " names '" + file
                    + "', which cannot be read (" + e.getMessage() + "); it must be a Java properties file of Kafka "
                    + "client settings such as security.protocol");
        }
        return properties;
    }
}
