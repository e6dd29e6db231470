package com.conversionrules.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Settings from the environment, each with an embedded default so the service starts with none.
 *
 * @param host           address to bind; 127.0.0.1 unless told otherwise
 * @param port           HTTP port; 0 picks a free one (tests)
 * @param rulesDir       the folder of DRL policies
 * @param dataDir        where the store keeps its file
 * @param shards         engine shards, each one thread and one KIE session
 * @param senderWebhook  where exits are POSTed; null when no sender is configured
 * @param maxBodyBytes   the largest request body accepted
 * @param shardQueue     events and enrollments a shard lets wait before requests are refused with 429
 * @param rulesPollSeconds how often the rules folder is checked for changes; 0 turns watching off
 */
public record Config(String host, int port, Path rulesDir, Path dataDir, int shards, URI senderWebhook,
                     long maxBodyBytes, int shardQueue, int rulesPollSeconds) {

    public static final String HOST = "HOST";
    public static final String PORT = "PORT";
    public static final String RULES_DIR = "RULES_DIR";
    public static final String DATA_DIR = "DATA_DIR";
    public static final String SHARDS = "SHARDS";
    public static final String SENDER_WEBHOOK_URL = "SENDER_WEBHOOK_URL";
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    public static final String SHARD_QUEUE = "SHARD_QUEUE";
    public static final String RULES_POLL_SECONDS = "RULES_POLL_SECONDS";

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        return new Config(
                env.getOrDefault(HOST, "127.0.0.1"),
                integer(env, PORT, 8080, 0, 65535),
                Path.of(env.getOrDefault(RULES_DIR, "./rules")),
                Path.of(env.getOrDefault(DATA_DIR, "./data")),
                integer(env, SHARDS, Runtime.getRuntime().availableProcessors(), 1, 256),
                webhook(env.get(SENDER_WEBHOOK_URL)),
                integer(env, MAX_BODY_BYTES, 1024 * 1024, 1024, 256 * 1024 * 1024),
                integer(env, SHARD_QUEUE, 100_000, 1, 100_000_000),
                integer(env, RULES_POLL_SECONDS, 2, 0, 3600));
    }

    private static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + raw + "'");
        }
    }

    private static URI webhook(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        URI uri = URI.create(raw.strip());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(SENDER_WEBHOOK_URL + " must be an http(s) URL, got '" + raw + "'");
        }
        return uri;
    }
}
