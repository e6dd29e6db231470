package com.conversionrules.http.segment;

import com.conversionrules.http.EventFacts;
import com.conversionrules.http.Fields;
import com.conversionrules.http.Json;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns Segment tracking-API calls into event facts. {@code track} keeps its event name, {@code page}
 * becomes {@code Page Viewed} (the user was active on the site); calls that carry no conversion
 * signal ({@code identify}, {@code screen}, {@code group}, {@code alias}) and calls from anonymous
 * users (no {@code userId}: enrollments are by user id) are accepted and counted as ignored. Every
 * message is checked before anything is applied: one bad message refuses the whole request.
 */
final class SegmentParser {
    /** Segment's documented limits: 32 KB per call, 500 KB per batch. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024;
    static final int MAX_BATCH_BYTES = 500 * 1024;
    static final String PAGE_EVENT = "Page Viewed";
    private static final Set<String> IGNORED_TYPES = Set.of("identify", "screen", "group", "alias");
    private static final Set<String> TYPES = Set.of("track", "page", "identify", "screen", "group", "alias");

    /** What a request holds: the events to evaluate, and how many messages were accepted without effect. */
    record Parsed(List<UserEvent> events, int ignored) {
    }

    private final Clock clock;
    private final int maxMessages;

    SegmentParser(Clock clock, int maxMessages) {
        this.clock = clock;
        this.maxMessages = maxMessages;
    }

    /** One call on {@code /v1/track}, {@code /v1/page} or {@code /v1/identify}; the path gives the type. */
    Parsed single(String type, JsonNode body) {
        JsonNode sent = body.get("type");
        if (sent != null && !(sent.isTextual() && sent.asText().equals(type))) {
            throw Rejection.invalid("type must be '" + type + "' on /v1/" + type + " (or left out)");
        }
        List<UserEvent> events = new ArrayList<>(1);
        int ignored = message(type, body, "", clock.millis(), events) ? 0 : 1;
        return new Parsed(events, ignored);
    }

    /** A {@code /v1/batch} or {@code /v1/import} body: {@code {"batch":[...]}}, each message with its type. */
    Parsed batch(JsonNode body) {
        JsonNode batch = body.get("batch");
        if (batch == null || !batch.isArray()) {
            throw Rejection.invalid("batch is required: an array of Segment messages, each with a type");
        }
        if (batch.isEmpty()) {
            throw Rejection.invalid("batch is empty; send at least one message");
        }
        if (batch.size() > maxMessages) {
            throw Rejection.invalid("batch holds " + batch.size() + " messages; send at most " + maxMessages
                    + " per request");
        }
        long now = clock.millis();
        checkSentAt(body, "", now);
        EventFacts.checkProperties(Fields.optionalObject(body, "", "context"), "context");
        List<UserEvent> events = new ArrayList<>(batch.size());
        int ignored = 0;
        for (int i = 0; i < batch.size(); i++) {
            JsonNode item = batch.get(i);
            String prefix = "batch[" + i + "].";
            if (!item.isObject()) {
                throw Rejection.invalid("batch[" + i + "] must be a JSON object");
            }
            if (compactSize(item) > MAX_MESSAGE_BYTES) {
                throw Rejection.tooLarge("batch[" + i + "] is larger than " + MAX_MESSAGE_BYTES
                        + " bytes, Segment's limit for one message; send less in its properties or context");
            }
            String type = Fields.requiredText(item, prefix, "type", 32);
            if (!TYPES.contains(type)) {
                throw Rejection.invalid(prefix + "type '" + Fields.abbreviate(type)
                        + "' is not a Segment call; use track, page, identify, screen, group or alias");
            }
            if (!message(type, item, prefix, now, events)) {
                ignored++;
            }
        }
        return new Parsed(events, ignored);
    }

    /** Checks one message and adds its event; false when the message is accepted without effect. */
    private static boolean message(String type, JsonNode node, String prefix, long now, List<UserEvent> events) {
        String messageId = Fields.requiredId(node, prefix, "messageId");
        String userId = Fields.optionalId(node, prefix, "userId");
        String anonymousId = Fields.optionalText(node, prefix, "anonymousId", Fields.MAX_ID_LENGTH);
        if (userId == null && anonymousId == null) {
            throw Rejection.invalid(prefix + "userId is required (or anonymousId, which is accepted and ignored)");
        }
        Long timestamp = Fields.optionalTime(node, prefix, "timestamp");
        checkSentAt(node, prefix, now);
        // Not used, but held to the same rules as properties: nothing unreadable gets through.
        EventFacts.checkProperties(Fields.optionalObject(node, prefix, "context"), prefix + "context");
        JsonNode properties = Fields.optionalObject(node, prefix, "properties");
        // Checked even when the message is then ignored: an accepted message is a valid one.
        EventFacts.checkProperties(properties, prefix + "properties");
        long time = EventFacts.time(timestamp, now, prefix + "timestamp");
        String name = switch (type) {
            case "track" -> Fields.requiredText(node, prefix, "event", Fields.MAX_NAME_LENGTH);
            case "page" -> PAGE_EVENT;
            default -> null;
        };
        if (IGNORED_TYPES.contains(type) || userId == null) {
            return false;
        }
        events.add(EventFacts.of(messageId, userId, name, time, null, properties, prefix));
        return true;
    }

    /** sentAt is not used, but it is checked like any time: a real instant, not more than a day ahead. */
    private static void checkSentAt(JsonNode node, String prefix, long now) {
        Long sentAt = Fields.optionalTime(node, prefix, "sentAt");
        if (sentAt != null) {
            EventFacts.time(sentAt, now, prefix + "sentAt");
        }
    }

    static int compactSize(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            throw Rejection.invalid("the message cannot be read as JSON");
        }
    }
}
