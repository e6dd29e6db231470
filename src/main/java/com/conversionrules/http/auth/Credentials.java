package com.conversionrules.http.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * What an {@code Authorization} header carries: no header, a key (Bearer, or Basic with the key as
 * user), or a header that cannot carry one, with what is wrong with it in words.
 */
sealed interface Credentials {
    /** No header, or an empty one. */
    record Absent() implements Credentials {
    }

    /** A key, right or wrong; {@code basic} when it came as Basic auth. */
    record Key(String key, boolean basic) implements Credentials {
    }

    /** A header that holds no key in a form this service reads; {@code problem} says what to change. */
    record Unreadable(String problem) implements Credentials {
    }

    static Credentials fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return new Absent();
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return value.equalsIgnoreCase("bearer") || value.equalsIgnoreCase("basic")
                    ? new Unreadable("the Authorization header holds no key after '" + value + "'")
                    : new Unreadable("the Authorization header holds no scheme: put 'Bearer ' before the key");
        }
        String scheme = value.substring(0, space);
        String rest = value.substring(space + 1).strip();
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "bearer" -> rest.isEmpty() ? new Unreadable("the Authorization header holds no key after 'Bearer'")
                    : new Key(rest, false);
            case "basic" -> basic(rest);
            default -> new Unreadable("the Authorization scheme '" + abbreviate(scheme)
                    + "' is not one this service reads: send 'Authorization: Bearer <key>'");
        };
    }

    /** Segment's form is the key as user and no password; a key given as the password alone is taken too. */
    private static Credentials basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Unreadable("the Basic credentials are not base64; send the key as user and an empty password "
                    + "(curl -u \"$WRITE_KEY:\")");
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        String key = user.isEmpty() ? password : user;
        return key.isEmpty() ? new Unreadable("the Basic credentials hold no key; send the key as user and an empty "
                + "password (curl -u \"$WRITE_KEY:\")") : new Key(key, true);
    }

    private static String abbreviate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }
}
