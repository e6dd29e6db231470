package com.conversionrules.config;

import java.time.Duration;
import java.util.Map;

/**
 * What one client may hold of the server: how long a connection may sit idle, how long one request
 * may take to arrive, how many connections may be open at once, and how much memory all request
 * bodies being read may take together.
 *
 * @param idleTimeout    a connection with nothing read or written for this long is closed
 * @param readTimeout    a request (headers and body) not fully arrived this long after its first byte gets a 408
 * @param maxConnections connections beyond this many are closed as they arrive
 * @param maxBodyBytes   the largest request body accepted
 * @param bodyMemory     the bytes that request bodies being read may take together; a request that
 *                       would go over it is refused with 503 before its body is read
 */
public record HttpLimits(Duration idleTimeout, Duration readTimeout, int maxConnections, long maxBodyBytes,
                         long bodyMemory) {

    public static final String HTTP_IDLE_TIMEOUT = "HTTP_IDLE_TIMEOUT";
    public static final String HTTP_READ_TIMEOUT = "HTTP_READ_TIMEOUT";
    public static final String HTTP_MAX_CONNECTIONS = "HTTP_MAX_CONNECTIONS";
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    public static final String HTTP_BODY_MEMORY = "HTTP_BODY_MEMORY";

    static HttpLimits read(Map<String, String> env) {
        long maxBody = Config.integer(env, MAX_BODY_BYTES, 1024 * 1024, 1024, 256 * 1024 * 1024);
        // By default an eighth of the heap: the rest is for the sessions and the store.
        long defaultMemory = Math.max(maxBody, Runtime.getRuntime().maxMemory() / 8);
        long memory = Config.longInteger(env, HTTP_BODY_MEMORY, defaultMemory, maxBody, Long.MAX_VALUE / 2);
        return new HttpLimits(
                duration(env, HTTP_IDLE_TIMEOUT, "60s"),
                duration(env, HTTP_READ_TIMEOUT, "30s"),
                Config.integer(env, HTTP_MAX_CONNECTIONS, 10_000, 1, 1_000_000),
                maxBody,
                memory);
    }

    private static Duration duration(Map<String, String> env, String name, String fallback) {
        String raw = env.get(name);
        Duration value = Durations.parse(name, raw == null || raw.isBlank() ? fallback : raw);
        if (value.toMillis() < 1 || value.toSeconds() > 3600) {
            throw new IllegalArgumentException(name + " must be between 1ms and 1h, got '" + raw + "'");
        }
        return value;
    }
}
