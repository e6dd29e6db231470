package com.conversionrules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sender endpoints, retry settings and keys as read from the environment. */
class ConfigTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static String error(Map<String, String> env) {
        return assertThrows(IllegalArgumentException.class, () -> Config.from(env)).getMessage();
    }

    @Test
    void eventsMustBeKeptAtLeastAsLongAsTheDedupeWindow() {
        Config defaults = Config.from(Map.of());
        assertEquals(java.time.Duration.ofDays(7), defaults.dedupeWindow());
        assertEquals(java.time.Duration.ofDays(90), defaults.eventRetention());
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of(Config.DEDUPE_WINDOW, "14d", Config.EVENT_RETENTION, "7d")));
        assertEquals("EVENT_RETENTION (7d) must be at least DEDUPE_WINDOW: a restart reads the ids of the dedupe "
                + "window back from the kept events", refused.getMessage());
    }

    @Test
    void severalEndpointsEachWithItsSecret() {
        Config config = Config.from(Map.of(Config.SENDER_WEBHOOKS,
                "email=https://a.example/x|" + SECRET + ", sms=http://b.example:8081/y?z=1|" + SECRET));
        assertEquals(List.of(new WebhookEndpoint("email", URI.create("https://a.example/x"), SECRET),
                new WebhookEndpoint("sms", URI.create("http://b.example:8081/y?z=1"), SECRET)), config.webhooks());
    }

    @Test
    void theSingleEndpointShorthandIsNamedDefault() {
        Config config = Config.from(Map.of(Config.SENDER_WEBHOOK_URL, "https://a.example/x",
                Config.SENDER_WEBHOOK_SECRET, SECRET));
        assertEquals(List.of(new WebhookEndpoint("default", URI.create("https://a.example/x"), SECRET)),
                config.webhooks());
    }

    @Test
    void badEndpointSettingsNameTheProblemWithoutPrintingSecrets() {
        assertTrue(error(Map.of(Config.SENDER_WEBHOOK_URL, "https://a.example/x"))
                .contains("SENDER_WEBHOOK_SECRET needs a signing secret"));
        assertTrue(error(Map.of(Config.SENDER_WEBHOOK_URL, "https://a.example/x", Config.SENDER_WEBHOOK_SECRET,
                "plain")).contains("must start with whsec_"));
        assertTrue(error(Map.of(Config.SENDER_WEBHOOK_URL, "https://a.example/x", Config.SENDER_WEBHOOK_SECRET,
                "whsec_c2hvcnQ=")).contains("at least 24 bytes"));
        assertTrue(error(Map.of(Config.SENDER_WEBHOOKS, "email=https://a|" + SECRET, Config.SENDER_WEBHOOK_URL,
                "https://b")).contains("not both"));
        String missingBar = error(Map.of(Config.SENDER_WEBHOOKS, "email=https://a.example/x"));
        assertTrue(missingBar.contains("name=https://host/path|whsec_"), missingBar);
        String twice = error(Map.of(Config.SENDER_WEBHOOKS, "a=https://x.example|" + SECRET + ",a=https://y.example|"
                + SECRET));
        assertTrue(twice.contains("'a' twice"), twice);
        String badName = error(Map.of(Config.SENDER_WEBHOOKS, "E Mail=https://x.example|" + SECRET));
        assertTrue(badName.contains("endpoint name"), badName);
        String secretInMessage = error(Map.of(Config.SENDER_WEBHOOKS, "email https://x.example|" + SECRET));
        assertTrue(!secretInMessage.contains(SECRET.substring(6)), secretInMessage);
    }

    @Test
    void retrySettingsDefaultToTheStandardWebhooksSchedule() {
        Config defaults = Config.from(Map.of());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10)), defaults.retrySchedule());
        assertEquals(Duration.ofDays(3), defaults.giveUpAfter());
        Config fast = Config.from(Map.of(Config.WEBHOOK_RETRY_SCHEDULE, "100ms, 2s", Config.WEBHOOK_GIVE_UP_AFTER, "1h"));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofSeconds(2)), fast.retrySchedule());
        assertEquals(Duration.ofHours(1), fast.giveUpAfter());
        assertTrue(error(Map.of(Config.WEBHOOK_GIVE_UP_AFTER, "forever")).startsWith("WEBHOOK_GIVE_UP_AFTER takes"));
        assertEquals(Duration.ofSeconds(10), defaults.webhookTimeout());
        assertEquals(Duration.ofMillis(300), Config.from(Map.of(Config.WEBHOOK_TIMEOUT, "300ms")).webhookTimeout());
        assertEquals("WEBHOOK_TIMEOUT must be longer than 0, such as 10s", error(Map.of(Config.WEBHOOK_TIMEOUT, "0s")));
    }

    @Test
    void keysAreCommaSeparatedAndMustBeLongEnough() {
        Config config = Config.from(Map.of(Config.WRITE_KEYS, "wk_aaaaaaaaaaaaaaaa, wk_bbbbbbbbbbbbbbbb",
                Config.ADMIN_KEYS, "ak_cccccccccccccccc"));
        assertEquals(List.of("wk_aaaaaaaaaaaaaaaa", "wk_bbbbbbbbbbbbbbbb"), config.writeKeys());
        assertEquals(List.of("ak_cccccccccccccccc"), config.adminKeys());
        assertTrue(error(Map.of(Config.ADMIN_KEYS, "short")).startsWith("ADMIN_KEYS holds a key"));
    }

    @Test
    void theMetricsPortAndTheAccessLogAreOffByDefaultAndCheckedWhenSet() {
        Config defaults = Config.from(Map.of());
        assertEquals(null, defaults.metricsPort());
        assertEquals(false, defaults.accessLog());
        Config set = Config.from(Map.of(Config.METRICS_PORT, "9464", Config.ACCESS_LOG, "TRUE"));
        assertEquals(9464, set.metricsPort());
        assertEquals(true, set.accessLog());
        assertTrue(error(Map.of(Config.METRICS_PORT, "8080")).contains("METRICS_PORT must differ from PORT"));
        assertTrue(error(Map.of(Config.METRICS_PORT, "http")).contains("METRICS_PORT must be a whole number"));
        assertTrue(error(Map.of(Config.ACCESS_LOG, "yes")).contains("ACCESS_LOG must be true or false"));
    }

    @Test
    void withoutKafkaBootstrapServersTheServiceRunsEmbedded() {
        assertTrue(Config.from(Map.of()).kafka().isEmpty());
        assertTrue(Config.from(Map.of(KafkaSettings.KAFKA_PARTITIONS, "3")).kafka().isEmpty(), "read only in a cluster");
    }

    @Test
    void clusterSettingsHaveTheirDocumentedDefaults() {
        KafkaSettings kafka = Config.from(Map.of(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, "broker-1:9092,broker-2:9092",
                Config.WRITE_KEYS, "wk_aaaaaaaaaaaaaaaa", Config.ADMIN_KEYS, "ak_cccccccccccccccc")).kafka().orElseThrow();
        assertEquals("broker-1:9092,broker-2:9092", kafka.bootstrapServers());
        assertEquals("conversion-rules", kafka.applicationId());
        assertEquals(12, kafka.partitions());
        assertEquals("conversion-rules.", kafka.topicPrefix());
        assertEquals("conversion-rules.events", kafka.eventsTopic());
        assertEquals("conversion-rules.events.dead-letter", kafka.deadLetterTopic());
        assertEquals("conversion-rules.exits", kafka.exitsTopic());
        assertEquals("conversion-rules.campaigns", kafka.campaignsTopic());
        assertEquals(null, kafka.replicationFactor(), "chosen from the brokers the cluster has");
        assertEquals(1, kafka.standbyReplicas());
        assertEquals(Duration.ofSeconds(10), kafka.sessionTimeout());

        KafkaSettings named = Config.from(Map.of(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, "b:9092",
                KafkaSettings.KAFKA_APPLICATION_ID, "checkout-conversions", KafkaSettings.KAFKA_REPLICATION_FACTOR, "1",
                KafkaSettings.KAFKA_PARTITIONS, "48", Config.WRITE_KEYS, "wk_aaaaaaaaaaaaaaaa",
                Config.ADMIN_KEYS, "ak_cccccccccccccccc")).kafka().orElseThrow();
        assertEquals("checkout-conversions.exits", named.exitsTopic(), "the prefix follows the application id");
        assertEquals(1, named.replicationFactor());
        assertEquals(48, named.partitions());
    }

    @Test
    void aClusterNeedsTheSameKeysOnEveryInstanceAndKafkaNames() {
        assertTrue(error(Map.of(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, "b:9092"))
                .contains("set WRITE_KEYS and ADMIN_KEYS to the same keys on every instance"));
        Map<String, String> keys = Map.of(Config.WRITE_KEYS, "wk_aaaaaaaaaaaaaaaa", Config.ADMIN_KEYS, "ak_cccccccccccccccc");
        Map<String, String> badId = new HashMap<>(keys);
        badId.put(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, "b:9092");
        badId.put(KafkaSettings.KAFKA_APPLICATION_ID, "my app");
        assertTrue(error(badId).startsWith("KAFKA_APPLICATION_ID may hold only letters"), error(badId));
        Map<String, String> badServer = new HashMap<>(keys);
        badServer.put(KafkaSettings.KAFKA_BOOTSTRAP_SERVERS, "b:9092");
        badServer.put(KafkaSettings.KAFKA_APPLICATION_SERVER, "http://a/");
        assertTrue(error(badServer).startsWith("KAFKA_APPLICATION_SERVER must be host:port"), error(badServer));
    }
}
