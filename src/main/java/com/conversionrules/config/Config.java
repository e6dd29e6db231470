package com.conversionrules.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Settings from the environment, each with an embedded default so the service starts with none.
 *
 * @param host           address to bind; 127.0.0.1 unless told otherwise
 * @param port           HTTP port; 0 picks a free one (tests)
 * @param rulesDir       the folder of DRL policies
 * @param dataDir        where the store keeps its file (and the generated keys)
 * @param shards         engine shards, each one thread and one KIE session
 * @param webhooks       the sender endpoints exits are delivered to; empty when none is configured
 * @param retrySchedule  the waits between delivery attempts; the last one repeats
 * @param giveUpAfter    how long after its first attempt a delivery keeps being retried
 * @param webhookTimeout how long one delivery attempt may take to connect and to answer
 * @param http           what one client may hold of the server (timeouts, connections, body sizes and memory)
 * @param stalls         when a shard that makes no progress fails readiness, then liveness
 * @param shardQueue     events and enrollments a shard lets wait before requests are refused with 429
 * @param dedupeWindow   how long an event id stays known, so the same event sent again is a duplicate
 * @param eventRetention how long events are kept for performed-event queries and replays (at least the dedupe window)
 * @param writeKeys      keys for ingestion; empty means the generated ones in the data directory
 * @param adminKeys      keys for everything else; empty means the generated ones in the data directory
 * @param rulesPollSeconds how often the rules folder is checked for changes; 0 turns watching off
 * @param metricsPort    a port serving only {@code GET /metrics}, without a key; null when there is none
 * @param accessLog      whether every request is logged, one line each
 * @param simulateRulesDir a folder whose subfolders are rules folders a simulation may try; null for none
 * @param kafka          the cluster this instance joins; empty runs the service embedded, on this machine alone
 */
public record Config(String host, int port, Path rulesDir, Path dataDir, int shards, List<WebhookEndpoint> webhooks,
                     List<Duration> retrySchedule, Duration giveUpAfter, Duration webhookTimeout, HttpLimits http,
                     StallLimits stalls, int shardQueue, Duration dedupeWindow, Duration eventRetention,
                     List<String> writeKeys, List<String> adminKeys, int rulesPollSeconds, Integer metricsPort,
                     boolean accessLog, Path simulateRulesDir, Optional<KafkaSettings> kafka) {

    public static final String HOST = "HOST";
    public static final String PORT = "PORT";
    public static final String RULES_DIR = "RULES_DIR";
    public static final String DATA_DIR = "DATA_DIR";
    public static final String SHARDS = "SHARDS";
    public static final String SENDER_WEBHOOKS = "SENDER_WEBHOOKS";
    public static final String SENDER_WEBHOOK_URL = "SENDER_WEBHOOK_URL";
    public static final String SENDER_WEBHOOK_SECRET = "SENDER_WEBHOOK_SECRET";
    public static final String WEBHOOK_RETRY_SCHEDULE = "WEBHOOK_RETRY_SCHEDULE";
    public static final String WEBHOOK_GIVE_UP_AFTER = "WEBHOOK_GIVE_UP_AFTER";
    public static final String WEBHOOK_TIMEOUT = "WEBHOOK_TIMEOUT";
    public static final String SHARD_QUEUE = "SHARD_QUEUE";
    public static final String DEDUPE_WINDOW = "DEDUPE_WINDOW";
    public static final String EVENT_RETENTION = "EVENT_RETENTION";
    public static final String RULES_POLL_SECONDS = "RULES_POLL_SECONDS";
    public static final String WRITE_KEYS = "WRITE_KEYS";
    public static final String ADMIN_KEYS = "ADMIN_KEYS";
    public static final String METRICS_PORT = "METRICS_PORT";
    public static final String ACCESS_LOG = "ACCESS_LOG";
    public static final String SIMULATE_RULES_DIR = "SIMULATE_RULES_DIR";

    /** The Standard Webhooks schedule after the immediate first attempt. */
    static final String DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h";
    static final String DEFAULT_GIVE_UP_AFTER = "3d";
    static final String DEFAULT_WEBHOOK_TIMEOUT = "10s";
    /** Keys travel in headers: printable ASCII without spaces, and long enough not to be guessed. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{16,256}");

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        Optional<KafkaSettings> kafka = KafkaSettings.read(env);
        if (kafka.isPresent() && (keys(env, WRITE_KEYS).isEmpty() || keys(env, ADMIN_KEYS).isEmpty())) {
            // Generated keys differ per data directory: a client could not use any instance with its key, and the
            // instances forward per-user reads to each other with the admin key.
            throw new IllegalArgumentException("in a cluster (" + KafkaSettings.KAFKA_BOOTSTRAP_SERVERS + " set), set "
                    + WRITE_KEYS + " and " + ADMIN_KEYS + " to the same keys on every instance");
        }
        int port = integer(env, PORT, 8080, 0, 65535);
        Integer metricsPort = blank(env.get(METRICS_PORT)) ? null : integer(env, METRICS_PORT, 0, 0, 65535);
        if (metricsPort != null && metricsPort != 0 && metricsPort == port) {
            throw new IllegalArgumentException(METRICS_PORT + " must differ from " + PORT + " (" + port
                    + "): the metrics port serves only /metrics, without a key");
        }
        return new Config(
                env.getOrDefault(HOST, "127.0.0.1"),
                port,
                Path.of(env.getOrDefault(RULES_DIR, "./rules")),
                Path.of(env.getOrDefault(DATA_DIR, "./data")),
                integer(env, SHARDS, Runtime.getRuntime().availableProcessors(), 1, 256),
                WebhookSettings.read(env),
                schedule(env.getOrDefault(WEBHOOK_RETRY_SCHEDULE, DEFAULT_RETRY_SCHEDULE)),
                Durations.parse(WEBHOOK_GIVE_UP_AFTER, env.getOrDefault(WEBHOOK_GIVE_UP_AFTER, DEFAULT_GIVE_UP_AFTER)),
                positive(WEBHOOK_TIMEOUT, Durations.parse(WEBHOOK_TIMEOUT,
                        env.getOrDefault(WEBHOOK_TIMEOUT, DEFAULT_WEBHOOK_TIMEOUT))),
                HttpLimits.read(env),
                StallLimits.read(env),
                integer(env, SHARD_QUEUE, 100_000, 1, 100_000_000),
                positive(DEDUPE_WINDOW, Durations.parse(DEDUPE_WINDOW, env.getOrDefault(DEDUPE_WINDOW, "7d"))),
                retention(env),
                keys(env, WRITE_KEYS),
                keys(env, ADMIN_KEYS),
                integer(env, RULES_POLL_SECONDS, 2, 0, 3600),
                metricsPort,
                bool(env, ACCESS_LOG),
                blank(env.get(SIMULATE_RULES_DIR)) ? null : Path.of(env.get(SIMULATE_RULES_DIR).strip()),
                kafka);
    }

    private static boolean blank(String raw) {
        return raw == null || raw.isBlank();
    }

    private static boolean bool(Map<String, String> env, String name) {
        String raw = env.get(name);
        if (blank(raw)) {
            return false;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + raw + "'");
        };
    }

    static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        return (int) longInteger(env, name, fallback, min, max);
    }

    static long longInteger(Map<String, String> env, String name, long fallback, long min, long max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + raw + "'");
        }
    }

    /** A zero timeout would mean none at all: a receiver that never answers would hold its slot for good. */
    /** Events must outlive the dedupe window: a restart reads the window's event ids back from them. */
    private static Duration retention(Map<String, String> env) {
        Duration window = Durations.parse(DEDUPE_WINDOW, env.getOrDefault(DEDUPE_WINDOW, "7d"));
        Duration retention = Durations.parse(EVENT_RETENTION, env.getOrDefault(EVENT_RETENTION, "90d"));
        if (retention.compareTo(window) < 0) {
            throw new IllegalArgumentException(EVENT_RETENTION + " (" + env.get(EVENT_RETENTION) + ") must be at least "
                    + DEDUPE_WINDOW + ": a restart reads the ids of the dedupe window back from the kept events");
        }
        return retention;
    }

    private static Duration positive(String name, Duration duration) {
        if (duration.isZero()) {
            throw new IllegalArgumentException(name + " must be longer than 0, such as 10s");
        }
        return duration;
    }

    private static List<Duration> schedule(String raw) {
        List<Duration> waits = new ArrayList<>();
        for (String part : raw.split(",")) {
            waits.add(Durations.parse(WEBHOOK_RETRY_SCHEDULE, part));
        }
        return List.copyOf(waits);
    }

    private static List<String> keys(Map<String, String> env, String name) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        List<String> keys = Arrays.stream(raw.split(",")).map(String::strip).filter(key -> !key.isEmpty()).toList();
        for (String key : keys) {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(name + " holds a key that is not 16-256 printable characters"
                        + " without spaces");
            }
        }
        return keys;
    }
}
