package com.conversionrules.http;

import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * Reads fields from request JSON, refusing anything unexpected with a message that names the field
 * (with its position in a batch, e.g. {@code events[3].time}).
 */
public final class Fields {
    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_NAME_LENGTH = 512;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    private static final long EARLIEST_MILLIS = EARLIEST.toEpochMilli();
    private static final long LATEST_MILLIS = LATEST.toEpochMilli();

    private Fields() {
    }

    public static String requiredText(JsonNode node, String prefix, String field, int maxLength) {
        String value = optionalText(node, prefix, field, maxLength);
        if (value == null) {
            throw Rejection.invalid(prefix + field + " is required");
        }
        return value;
    }

    public static String optionalText(JsonNode node, String prefix, String field, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Rejection.invalid(prefix + field + " must be a string");
        }
        String text = value.asText();
        if (text.isBlank()) {
            throw Rejection.invalid(prefix + field + " must not be empty");
        }
        if (text.length() > maxLength) {
            throw Rejection.invalid(prefix + field + " is longer than " + maxLength + " characters");
        }
        if (!Text.isWellFormed(text)) {
            throw Rejection.invalid(prefix + field + " is not valid Unicode text (it holds a lone surrogate escape)");
        }
        return text;
    }

    /** An identifier: a non-empty string of letters, digits and {@code . _ : @ + = -}. */
    public static String requiredId(JsonNode node, String prefix, String field) {
        String id = requiredText(node, prefix, field, MAX_ID_LENGTH);
        return isId(id) ? id : throwNotAnId(prefix + field, id);
    }

    public static String optionalId(JsonNode node, String prefix, String field) {
        String id = optionalText(node, prefix, field, MAX_ID_LENGTH);
        return id == null || isId(id) ? id : throwNotAnId(prefix + field, id);
    }

    public static String checkId(String what, String id) {
        return isId(id) ? id : throwNotAnId(what, id);
    }

    /**
     * Ids travel in URLs and logs: printable, no spaces or slashes. A loop rather than a regex
     * because every event's user id passes here on the event loop.
     */
    static boolean isId(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!isIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '@' || c == '+' || c == '=' || c == '-';
    }

    private static String throwNotAnId(String what, String id) {
        throw Rejection.invalid(what + " '" + abbreviate(id) + "' is not a valid id: use up to "
                + MAX_ID_LENGTH + " letters, digits and . _ : @ + = -");
    }

    /** The campaign id in a route's path: an id, or a 400 before anything is looked up. */
    static String campaignId(RoutingContext ctx) {
        return checkId("the campaign id in the path", ctx.pathParam("id"));
    }

    /** A whole-number query parameter between {@code min} and {@code max}; {@code fallback} when absent. */
    static long queryNumber(RoutingContext ctx, String name, long fallback, long min, long max) {
        String raw = ctx.request().getParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Rejection.invalid(name + " must be a whole number between " + min + " and " + max + ", got '"
                + abbreviate(raw) + "'");
    }

    /** An ISO-8601 time query parameter, in epoch milliseconds; null when absent. */
    static Long queryTime(RoutingContext ctx, String name) {
        String raw = ctx.request().getParam(name);
        return raw == null || raw.isEmpty() ? null : parseTime(name, raw);
    }

    /** An ISO-8601 instant with an offset, e.g. 2026-11-27T10:15:30Z, between 2000 and 2100. */
    public static Long optionalTime(JsonNode node, String prefix, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Rejection.invalid(prefix + field + " must be an ISO-8601 time string such as 2026-11-27T10:15:30Z");
        }
        return parseTime(prefix + field, value.asText());
    }

    public static long parseTime(String what, String text) {
        long millis = UtcTimes.epochMillis(text);
        if (millis != UtcTimes.OTHER_FORM && millis >= EARLIEST_MILLIS && millis < LATEST_MILLIS) {
            return millis;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw Rejection.invalid(what + " '" + abbreviate(text) + "' is not an ISO-8601 time with an offset, "
                    + "such as 2026-11-27T10:15:30Z");
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw Rejection.invalid(what + " " + text + " is out of range: times must fall between 2000 and 2100");
        }
        return instant.toEpochMilli();
    }

    /** An ISO-8601 duration such as P7D, or null when the field is absent or null. */
    static ConversionWindow optionalConversionWindow(JsonNode node, String field) {
        return optionalConversionWindow(node, field, "");
    }

    static ConversionWindow optionalConversionWindow(JsonNode node, String field, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Rejection.invalid(prefix + field + " must be an ISO-8601 duration string such as P7D or PT12H");
        }
        try {
            return ConversionWindow.parse(value.asText());
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid(prefix + field + " " + abbreviateQuoted(e.getMessage()));
        }
    }

    /** Keeps a quoted value in a message short, so a huge field does not flood the answer. */
    static String abbreviateQuoted(String message) {
        return message.length() <= 200 ? message : message.substring(0, 197) + "...";
    }

    public static JsonNode optionalObject(JsonNode node, String prefix, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw Rejection.invalid(prefix + field + " must be a JSON object");
        }
        return value;
    }

    public static void rejectUnknown(JsonNode body, Set<String> allowed) {
        body.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw Rejection.invalid("unknown field '" + abbreviate(field) + "'; allowed fields are "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        });
    }

    public static String abbreviate(String text) {
        String shown = text.length() <= 64 ? text : text.substring(0, 61) + "...";
        return Text.wellFormed(shown);
    }
}
