package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@code POST /v1/events} body (one event, or {@code {"events":[...]}}) into facts. The
 * whole body is checked before anything is applied: one bad event refuses the request. A record on
 * the cluster's events topic holds one event in the same shape, checked the same way.
 */
public final class EventParser {

    private final Clock clock;
    private final int maxEvents;

    public EventParser(Clock clock, int maxEvents) {
        this.clock = clock;
        this.maxEvents = maxEvents;
    }

    /** One event object, as a single-event body holds it; an event without a time happened now. */
    public UserEvent one(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw Rejection.invalid("an event must be a JSON object such as {\"id\", \"userId\", \"name\"}");
        }
        if (node.has("events")) {
            throw Rejection.invalid("one event per record: a batch of events belongs to several users, so to "
                    + "several partitions");
        }
        return event(node, "", clock.millis());
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
        long time = EventFacts.time(Fields.optionalTime(node, prefix, "time"), now, prefix + "time");
        JsonNode properties = Fields.optionalObject(node, prefix, "properties");
        String campaignId = Fields.optionalId(node, prefix, "campaignId");
        return EventFacts.of(id, userId, name, time, campaignId, properties, prefix);
    }
}
