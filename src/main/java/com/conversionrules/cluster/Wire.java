package com.conversionrules.cluster;

import com.conversionrules.http.Json;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.Reentry;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.RuleRef;
import com.conversionrules.model.UserEvent;
import com.conversionrules.sender.ExitPayload;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What the records on the cluster's topics hold. The events topic carries four kinds, told apart by
 * the {@value #KIND} header: events (no header, or {@code event}: one JSON event in the shape
 * {@code POST /v1/events} takes, so other systems can produce them), enrollments, removals, and
 * campaign changes copied to every partition. Everything is JSON in UTF-8.
 */
public final class Wire {
    /** The header that says what a record on the events topic is. */
    public static final String KIND = "cr-kind";
    public static final String EVENT = "event";
    public static final String ENROLL = "enroll";
    public static final String REMOVE = "remove";
    public static final String CAMPAIGN = "campaign";

    private static final JsonFactory JSON = new JsonFactory();

    private Wire() {
    }

    /** The header's value as text; null when the record has none. */
    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An event as {@code POST /v1/events} takes it, with its time filled in and its properties as received. */
    public static byte[] event(UserEvent event) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("id", event.getId());
            out.writeStringField("userId", event.getUserId());
            out.writeStringField("name", event.getName());
            out.writeStringField("time", Instant.ofEpochMilli(event.getTime()).toString());
            if (event.getCampaignId() != null) {
                out.writeStringField("campaignId", event.getCampaignId());
            }
            if (event.propertiesJson() != null) {
                out.writeFieldName("properties");
                out.writeRawValue(event.propertiesJson());
            } else if (!event.getProperties().isEmpty()) {
                out.writeFieldName("properties");
                Json.MAPPER.writeValue(out, event.getProperties());
            }
            out.writeEndObject();
        });
    }

    public static byte[] enrollment(Enrollment enrollment) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("campaignId", enrollment.getCampaignId());
            out.writeStringField("userId", enrollment.getUserId());
            out.writeNumberField("enrolledAt", enrollment.getEnrolledAt());
            out.writeEndObject();
        });
    }

    static Enrollment enrollment(JsonNode node) {
        return new Enrollment(text(node, "campaignId"), text(node, "userId"), number(node, "enrolledAt"));
    }

    /** A removal: the user leaves the campaign (exit reason removed) if active there. */
    public record Removal(String campaignId, String userId) {
    }

    public static byte[] removal(String campaignId, String userId) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("campaignId", campaignId);
            out.writeStringField("userId", userId);
            out.writeEndObject();
        });
    }

    static Removal removal(JsonNode node) {
        return new Removal(text(node, "campaignId"), text(node, "userId"));
    }

    public static byte[] campaign(Campaign campaign) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("id", campaign.id())
                .put("name", campaign.name())
                .put("type", campaign.type().wire());
        ArrayNode goals = node.putArray("goals");
        for (ConversionGoal goal : campaign.goals()) {
            goals.addObject()
                    .put("conversionEvent", goal.conversionEvent())
                    .put("conversionWindow", goal.conversionWindow() == null ? null : goal.conversionWindow().toString());
        }
        node.put("conversionWindow", campaign.conversionWindow() == null ? null : campaign.conversionWindow().toString())
                .put("reentry", campaign.reentry().toString())
                .put("holdoutPercent", campaign.holdoutPercent())
                .put("status", campaign.status().wire())
                .put("createdAt", campaign.createdAt())
                .put("launchedAt", campaign.launchedAt())
                .put("endedAt", campaign.endedAt());
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
    }

    public static Campaign campaign(byte[] value) {
        JsonNode node = tree(value);
        List<ConversionGoal> goals = new ArrayList<>();
        for (JsonNode goal : node.path("goals")) {
            goals.add(new ConversionGoal(text(goal, "conversionEvent"), window(optionalText(goal, "conversionWindow"))));
        }
        String reentry = optionalText(node, "reentry");
        return new Campaign(text(node, "id"), text(node, "name"), CampaignType.fromWire(text(node, "type")), goals,
                window(optionalText(node, "conversionWindow")), reentry == null ? Reentry.ALWAYS : Reentry.parse(reentry),
                node.path("holdoutPercent").asInt(), CampaignStatus.fromWire(text(node, "status")),
                number(node, "createdAt"), optionalNumber(node, "launchedAt"), optionalNumber(node, "endedAt"));
    }

    private static ConversionWindow window(String text) {
        return text == null ? null : ConversionWindow.parse(text);
    }

    /** An exit read back from its CloudEvents envelope, as the exits topic and the webhook carry it. */
    public static Exit exit(byte[] envelope) {
        return exit(tree(envelope).path("data"));
    }

    /** An exit as the webhook's data and the exits feed show it. */
    static JsonNode exitTree(Exit exit) {
        return ExitPayload.of(Json.MAPPER, exit);
    }

    /** An exit read back from {@link #exitTree}. */
    static Exit exit(JsonNode data) {
        JsonNode rule = data.get("rule");
        JsonNode value = data.get("value");
        return new Exit(0, text(data, "id"), text(data, "campaignId"), text(data, "userId"),
                ExitReason.fromWire(text(data, "reason")), optionalText(data, "conversionEvent"),
                optionalText(data, "eventId"), value == null ? 0 : value.asDouble(),
                rule == null || rule.isNull() ? null : new RuleRef(optionalText(rule, "name"),
                        optionalText(rule, "file"), optionalText(rule, "rulesVersion")),
                Instant.parse(text(data, "exitedAt")).toEpochMilli(), data.path("holdout").asBoolean());
    }

    /** The record's JSON; a rejection saying why when it is not JSON. */
    static JsonNode tree(byte[] value) {
        if (value == null) {
            throw Rejection.invalid("the record has no value");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(value);
            if (node == null || node.isMissingNode()) {
                throw Rejection.invalid("the record's value is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Rejection.invalid("the record's value is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory does not fail", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw Rejection.invalid(field + " must be a string");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw Rejection.invalid(field + " must be a whole number (epoch milliseconds)");
        }
        return value.asLong();
    }

    private static Long optionalNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }

    private interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
        return bytes.toByteArray();
    }
}
