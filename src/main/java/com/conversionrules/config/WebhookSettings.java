package com.conversionrules.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the sender endpoints: {@code SENDER_WEBHOOKS="email=https://a/x|whsec_...,sms=https://b/y|whsec_..."},
 * or the single-endpoint shorthand {@code SENDER_WEBHOOK_URL} + {@code SENDER_WEBHOOK_SECRET} (named
 * {@code default}). Setting both is refused: which one wins would be a guess.
 */
final class WebhookSettings {
    static final String DEFAULT_NAME = "default";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final String SECRET_PREFIX = "whsec_";

    private WebhookSettings() {
    }

    static List<WebhookEndpoint> read(Map<String, String> env) {
        String list = env.get(Config.SENDER_WEBHOOKS);
        String single = env.get(Config.SENDER_WEBHOOK_URL);
        boolean hasList = list != null && !list.isBlank();
        boolean hasSingle = single != null && !single.isBlank();
        if (hasList && hasSingle) {
            throw new IllegalArgumentException("set either " + Config.SENDER_WEBHOOKS + " or " + Config.SENDER_WEBHOOK_URL
                    + ", not both");
        }
        if (hasSingle) {
            return List.of(new WebhookEndpoint(DEFAULT_NAME, url(Config.SENDER_WEBHOOK_URL, single),
                    secret(Config.SENDER_WEBHOOK_SECRET, env.get(Config.SENDER_WEBHOOK_SECRET))));
        }
        if (!hasList) {
            return List.of();
        }
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : list.split(",")) {
            endpoints.add(entry(entry.strip(), names));
        }
        return List.copyOf(endpoints);
    }

    private static WebhookEndpoint entry(String entry, Set<String> names) {
        int equals = entry.indexOf('=');
        int bar = entry.lastIndexOf('|');
        if (equals < 1 || bar < equals) {
            throw new IllegalArgumentException(Config.SENDER_WEBHOOKS + " entries look like name=https://host/path|whsec_...,"
                    + " got '" + redact(entry) + "'");
        }
        String name = entry.substring(0, equals).strip();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(Config.SENDER_WEBHOOKS + ": endpoint name '" + name
                    + "' must be 1-32 lower-case letters, digits, _ or -, starting with a letter or digit");
        }
        if (!names.add(name)) {
            throw new IllegalArgumentException(Config.SENDER_WEBHOOKS + " names the endpoint '" + name + "' twice");
        }
        return new WebhookEndpoint(name, url(Config.SENDER_WEBHOOKS + " (" + name + ")", entry.substring(equals + 1, bar)),
                secret(Config.SENDER_WEBHOOKS + " (" + name + ")", entry.substring(bar + 1)));
    }

    private static URI url(String setting, String raw) {
        URI uri;
        try {
            uri = URI.create(raw.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " must be an http(s) URL, got '" + raw.strip() + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(setting + " must be an http(s) URL, got '" + raw.strip() + "'");
        }
        return uri;
    }

    /** A Standard Webhooks secret: {@code whsec_} and base64 of the signing key. */
    private static String secret(String setting, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException(setting + " needs a signing secret (whsec_ followed by base64 of at least"
                    + " 24 random bytes, e.g. whsec_$(openssl rand -base64 32))");
        }
        String secret = raw.strip();
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(setting + ": the signing secret must start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = java.util.Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + ": the signing secret after " + SECRET_PREFIX + " must be base64");
        }
        if (key.length < 24) {
            throw new IllegalArgumentException(setting + ": the signing secret must hold at least 24 bytes, got "
                    + key.length);
        }
        return secret;
    }

    private static String redact(String entry) {
        int bar = entry.lastIndexOf('|');
        return bar < 0 ? entry : entry.substring(0, bar) + "|...";
    }
}
