package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Builds the event fact the rules match, the same way for every ingestion format. */
public final class EventFacts {
    private static final String[] VALUE_FIELDS = {"value", "total", "revenue"};
    /** Events may run a little ahead of this server's clock; further ahead is a client bug. */
    private static final long MAX_CLOCK_SKEW_MILLIS = 24 * 60 * 60 * 1000L;

    private EventFacts() {
    }

    /** The time an event happened: the one sent (not more than a day ahead), or now when none was sent. */
    public static long time(Long sent, long now, String what) {
        if (sent == null) {
            return now;
        }
        if (sent > now + MAX_CLOCK_SKEW_MILLIS) {
            throw Rejection.invalid(what + " is more than a day in the future; send the time the user acted");
        }
        return sent;
    }

    /**
     * An event from checked fields and its raw properties; {@code prefix} locates the event in the
     * request (e.g. {@code batch[2].}) for error messages.
     */
    public static UserEvent of(String id, String userId, String name, long time, String campaignId,
                               JsonNode properties, String prefix) {
        String campaign = campaignId;
        if (campaign == null && properties != null) {
            // Segment's email spec carries the campaign as properties.campaign_id.
            campaign = Fields.optionalId(properties, prefix + "properties.", "campaign_id");
        }
        return new UserEvent(id, userId, name, time, campaign, toMap(properties), value(properties, prefix));
    }

    private static Map<String, Object> toMap(JsonNode properties) {
        if (properties == null || properties.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Json.MAPPER.convertValue(properties, Map.class);
        return map;
    }

    /** The order value: {@code value}, or {@code total}/{@code revenue} as Segment sends them. */
    private static double value(JsonNode properties, String prefix) {
        if (properties == null) {
            return 0;
        }
        for (String field : VALUE_FIELDS) {
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
        return value;
    }
}
