package com.conversionrules.sender;

import com.conversionrules.model.Exit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * An exit as a CloudEvents 1.0 event in structured JSON mode: the exit's id, its time, and the exit
 * JSON (the same as on the pull feed) as {@code data}. The same exit always gives the same bytes,
 * so a redelivery is byte-for-byte the first delivery.
 */
final class ExitEnvelope {
    static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
    static final String TYPE = "com.conversionrules.campaign.exited";
    static final URI SOURCE = URI.create("/conversion-rules");

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFormat format = new JsonFormat();

    byte[] of(Exit exit) {
        byte[] data;
        try {
            data = mapper.writeValueAsBytes(ExitPayload.of(mapper, exit));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an exit always serialises", e);
        }
        CloudEvent event = CloudEventBuilder.v1()
                .withId(exit.id())
                .withType(TYPE)
                .withSource(SOURCE)
                .withSubject(exit.campaignId())
                .withTime(Instant.ofEpochMilli(exit.exitedAt()).atOffset(ZoneOffset.UTC))
                .withData("application/json", data)
                .build();
        return format.serialize(event);
    }
}
