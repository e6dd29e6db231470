package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.RuleRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The envelope is byte for byte what the CloudEvents SDK writes for the same exit. */
class ExitEnvelopeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The event as the SDK builds and serialises it, with the feed's exit JSON as data. */
    private static String bySdk(Exit exit) throws Exception {
        return new String(new JsonFormat().serialize(CloudEventBuilder.v1()
                .withId(exit.id())
                .withType(ExitEnvelope.TYPE)
                .withSource(URI.create(ExitEnvelope.SOURCE))
                .withSubject(exit.campaignId())
                .withTime(Instant.ofEpochMilli(exit.exitedAt()).atOffset(ZoneOffset.UTC))
                .withData("application/json", MAPPER.writeValueAsBytes(ExitPayload.of(MAPPER, exit)))
                .build()), StandardCharsets.UTF_8);
    }

    @Test
    void everyKindOfExitIsWrittenAsTheSdkWritesIt() throws Exception {
        RuleRef rule = new RuleRef("Placed an order converts", "orders/placed_order.drl", "v7");
        List<Exit> exits = List.of(
                new Exit(1, "e-1", "spring", "ann", ExitReason.CONVERTED, "placed_order", "order-1", 42.5, rule,
                        1_795_774_530_000L),
                new Exit(2, "e-2", "spring", "bob", ExitReason.CAMPAIGN_ENDED, null, null, 0,
                        null, 1_795_774_530_123L),
                new Exit(3, "e-3", "c\"quoted\"\n", "zoë 🙂", ExitReason.CONVERTED, "placed_order", "o\\2", 1e21,
                        rule, 1_795_774_530_100L),
                new Exit(4, "e-4", "c", "u", ExitReason.CONVERTED, "e", "x", -0.1, rule, 7L),
                // Same millisecond as the one before, then back to an earlier one: times are reused only when equal.
                new Exit(5, "e-5", "c", "v", ExitReason.REMOVED, null, null, 0, null, 7L),
                new Exit(6, "e-6", "c", "w", ExitReason.REMOVED, null, null, 0, null, 1_795_774_530_000L));
        ExitEnvelope envelope = new ExitEnvelope();
        for (Exit exit : exits) {
            assertEquals(bySdk(exit), new String(envelope.of(exit), StandardCharsets.UTF_8));
        }
    }
}
