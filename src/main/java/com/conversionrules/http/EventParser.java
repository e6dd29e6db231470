package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code POST /v1/events} body (one event, or {@code {"events":[...]}}) into facts. The
 * whole body is checked before anything is applied: one bad event refuses the request.
 */
final class EventParser {
    /** Events may run a little ahead of this server's clock; further ahead is a client bug. */
    private static final long MAX_CLOCK_SKEW_MILLIS = 24 * 60 * 60 * 1000L;
    private static final String[] VALUE_FIELDS = {"value", "total", "revenue"};

    private final Clock clock;
    private final int maxEvents;

    EventParser(Clock clock, int maxEvents) {
        this.clock = clock;
        this.maxEvents = maxEvents;
    }

    List<UserEvent> parse(JsonNode body) {
        long now = clock.millis();
        JsonNode batch = body.get("events");
        if (batch == null) {
            return List.of(event(body, "", now));
        }
        if (!batch.isArray()) {
            throw Rejection.invalid("events must be an array of events");
        }
        if (batch.isEmpty()) {
            throw Rejection.invalid("events is empty; send at least one event");
        }
        if (batch.size() > maxEvents) {
            throw Rejection.invalid("events holds " + batch.size() + " events; send at most " + maxEvents
                    + " per request");
        }
        List<UserEvent> events = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode item = batch.get(i);
            String prefix = "events[" + i + "].";
            if (!item.isObject()) {
                throw Rejection.invalid("events[" + i + "] must be a JSON object");
            }
            events.add(event(item, prefix, now));
        }
        return events;
    }

    private UserEvent event(JsonNode node, String prefix, long now) {
        String id = Fields.requiredId(node, prefix, "id");
        String userId = Fields.requiredId(node, prefix, "userId");
        String name = Fields.requiredText(node, prefix, "name", Fields.MAX_NAME_LENGTH);
        Long time = Fields.optionalTime(node, prefix, "time");
        if (time != null && time > now + MAX_CLOCK_SKEW_MILLIS) {
            throw Rejection.invalid(prefix + "time is more than a day in the future; send the time the user acted");
        }
        JsonNode properties = Fields.optionalObject(node, prefix, "properties");
        String campaignId = Fields.optionalId(node, prefix, "campaignId");
        if (campaignId == null && properties != null) {
            // Segment's email spec carries the campaign as properties.campaign_id.
            campaignId = Fields.optionalId(properties, prefix + "properties.", "campaign_id");
        }
        return new UserEvent(id, userId, name, time == null ? now : time, campaignId, toMap(properties),
                value(properties, prefix));
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
