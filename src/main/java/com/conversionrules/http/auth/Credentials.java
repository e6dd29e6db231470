package com.conversionrules.http.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** The key an {@code Authorization} header carries: Bearer, or Basic with the key as user. */
final class Credentials {
    private Credentials() {
    }

    static Optional<String> fromHeader(String header, boolean basicAllowed) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            // Present but unreadable: an empty key, so the caller answers 401 instead of ignoring it.
            return Optional.of("");
        }
        String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
        String rest = value.substring(space + 1).strip();
        if (scheme.equals("bearer")) {
            return Optional.of(rest);
        }
        if (scheme.equals("basic") && basicAllowed) {
            return Optional.of(basicUser(rest));
        }
        return Optional.of("");
    }

    private static String basicUser(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
