package com.conversionrules.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LOG_FORMAT and LOG_LEVEL, checked before anything logs: logback on its own reads an unknown format
 * as no appender at all (silence) and an unknown level as DEBUG. Any case is accepted; the values
 * are handed to logback in the case its configuration expects.
 */
public final class LogSettings {
    public static final String LOG_FORMAT = "LOG_FORMAT";
    public static final String LOG_LEVEL = "LOG_LEVEL";
    private static final List<String> FORMATS = List.of("text", "json");
    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    private LogSettings() {
    }

    /** Sets the checked values as system properties, which logback's configuration reads first. */
    public static void apply(Map<String, String> env) {
        System.setProperty(LOG_FORMAT, pick(env, LOG_FORMAT, FORMATS, "text").toLowerCase(Locale.ROOT));
        System.setProperty(LOG_LEVEL, pick(env, LOG_LEVEL, LEVELS, "INFO").toUpperCase(Locale.ROOT));
    }

    private static String pick(Map<String, String> env, String name, List<String> allowed, String fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        for (String value : allowed) {
            if (value.equalsIgnoreCase(raw.strip())) {
                return value;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + String.join(", ",
                allowed.stream().map(value -> value.toLowerCase(Locale.ROOT)).toList()) + " (any case), got '" + raw + "'");
    }
}
