package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the event fact the rules match, the same way for every ingestion format. */
public final class EventFacts {
    /** Properties are stored with each event: as much as Segment allows for a whole call. */
    public static final int MAX_PROPERTIES_BYTES = 32 * 1024;
    private static final int MAX_PROPERTIES_DEPTH = 32;
    /** Order values add up to a campaign's revenue: far below where a sum of doubles overflows or loses cents. */
    static final double MAX_ORDER_VALUE = 1e12;
    /** Events may run a little ahead of this server's clock; further ahead is a client bug. */
    private static final long MAX_CLOCK_SKEW_MILLIS = 24 * 60 * 60 * 1000L;

    private EventFacts() {
    }

    /** When something happened: the time sent (not more than a day ahead of this server), or now when none was sent. */
    public static long time(Long sent, long now, String what) {
        if (sent == null) {
            return now;
        }
        if (sent > now + MAX_CLOCK_SKEW_MILLIS) {
            throw Rejection.invalid(what + " is more than a day in the future; send when it happened");
        }
        return sent;
    }

    /**
     * An event from checked fields and its raw properties; {@code prefix} locates the event in the
     * request (e.g. {@code batch[2].}) for error messages.
     */
    public static UserEvent of(String id, String userId, String name, long time, String campaignId,
                               JsonNode properties, String prefix) {
        if (properties == null) {
            return new UserEvent(id, userId, name, time, campaignId, Map.of(), null, 0);
        }
        Map<String, Object> map = checkedMap(properties, prefix);
        String json = checkedJson(properties, prefix, "properties");
        String campaign = campaignId;
        if (campaign == null) {
            // Segment's email spec carries the campaign as properties.campaign_id.
            campaign = Fields.optionalId(properties, prefix + "properties.", "campaign_id");
        }
        return new UserEvent(id, userId, name, time, campaign, map, json, value(properties, prefix));
    }

    /**
     * Properties must fit the store and every writer: bounded in size and depth, valid Unicode and
     * finite numbers throughout. Returns them as the JSON that is stored, or null when there are none.
     */
    public static String checkProperties(JsonNode properties, String what) {
        if (properties == null) {
            return null;
        }
        walk(properties, 1, what, "", false);
        return checkedJson(properties, what, "");
    }

    /** The properties as rules read them (maps, lists, strings, numbers, booleans), checked on the way. */
    private static Map<String, Object> checkedMap(JsonNode properties, String prefix) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) walk(properties, 1, prefix, "properties", true);
        return map;
    }

    /** {@code where + field} names the properties in errors; joined only when there is one. */
    private static String checkedJson(JsonNode properties, String where, String field) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw Rejection.invalid(where + field + " cannot be written as JSON: " + e.getOriginalMessage());
        }
        // UTF-8 takes at least as many bytes as UTF-16 chars for all but surrogate pairs (4 bytes for 2 chars).
        int size = json.length() <= MAX_PROPERTIES_BYTES / 3 ? json.length() : Text.utf8Length(json);
        if (size > MAX_PROPERTIES_BYTES) {
            throw Rejection.invalid(where + field + " is " + size + " bytes as JSON; send at most " + MAX_PROPERTIES_BYTES);
        }
        return properties.isEmpty() ? null : json;
    }

    /**
     * Checks a node and what it holds and, when {@code build} is set, returns it as Java values the way
     * Jackson's {@code convertValue(node, Map.class)} did (whole numbers as Integer, Long or BigInteger,
     * others as Double) in the same pass: converting afterwards took a second walk and a token buffer.
     */
    private static Object walk(JsonNode node, int level, String where, String field, boolean build) {
        if (level > MAX_PROPERTIES_DEPTH) {
            throw Rejection.invalid(where + field + " nests deeper than " + MAX_PROPERTIES_DEPTH + " levels");
        }
        switch (node.getNodeType()) {
            case STRING -> {
                String text = node.textValue();
                if (!Text.isWellFormed(text)) {
                    throw Rejection.invalid(where + field + " holds text that is not valid Unicode (a lone surrogate escape)");
                }
                return text;
            }
            case NUMBER -> {
                if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
                    throw Rejection.invalid(where + field + " holds a number too large to store (" + node.asText()
                            + "); send at most about 1.7e308, or send it as a string");
                }
                return !build ? null : node.isIntegralNumber() ? node.numberValue() : (Object) node.doubleValue();
            }
            case OBJECT -> {
                Map<String, Object> map = build ? new LinkedHashMap<>(capacity(node.size())) : null;
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    if (!Text.isWellFormed(entry.getKey())) {
                        throw Rejection.invalid(where + field + " has a key that is not valid Unicode (a lone surrogate escape)");
                    }
                    Object value = walk(entry.getValue(), level + 1, where, field, build);
                    if (build) {
                        map.put(entry.getKey(), value);
                    }
                }
                return map;
            }
            case ARRAY -> {
                List<Object> list = build ? new ArrayList<>(node.size()) : null;
                for (JsonNode child : node) {
                    Object value = walk(child, level + 1, where, field, build);
                    if (build) {
                        list.add(value);
                    }
                }
                return list;
            }
            case BOOLEAN -> {
                return node.booleanValue();
            }
            default -> {
                return null;
            }
        }
    }

    private static int capacity(int entries) {
        return (int) (entries / 0.75f) + 1;
    }

    /** The order value: {@code value}, or {@code total}/{@code revenue} as Segment sends them. */
    private static double value(JsonNode properties, String prefix) {
        if (properties == null) {
            return 0;
        }
        for (String field : UserEvent.VALUE_PROPERTIES) {
            JsonNode value = properties.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isNumber()) {
                return finite(value.asDouble(), prefix + "properties." + field);
            }
            if (value.isTextual()) {
                try {
                    return finite(Double.parseDouble(value.asText().strip()), prefix + "properties." + field);
                } catch (NumberFormatException e) {
                    throw Rejection.invalid(prefix + "properties." + field + " must be a number, got '"
                            + Fields.abbreviate(value.asText()) + "'");
                }
            }
            throw Rejection.invalid(prefix + "properties." + field + " must be a number");
        }
        return 0;
    }

    private static double finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw Rejection.invalid(what + " must be a finite number");
        }
        if (Math.abs(value) > MAX_ORDER_VALUE) {
            throw Rejection.invalid(what + " must be between -1e12 and 1e12 (a campaign's revenue adds these up), got "
                    + value);
        }
        return value;
    }
}
