package com.conversionrules.sender;

import com.conversionrules.model.Exit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** An exit as senders read it, on the webhook and on the pull feed alike. */
public final class ExitPayload {
    private ExitPayload() {
    }

    public static ObjectNode of(ObjectMapper mapper, Exit exit) {
        ObjectNode node = mapper.createObjectNode()
                .put("id", exit.id())
                .put("campaignId", exit.campaignId())
                .put("userId", exit.userId())
                .put("reason", exit.reason().wire())
                .put("conversionEvent", exit.conversionEvent())
                .put("eventId", exit.eventId())
                .put("exitedAt", Instant.ofEpochMilli(exit.exitedAt()).toString());
        if (exit.rule() != null) {
            node.putObject("rule")
                    .put("name", exit.rule().name())
                    .put("file", exit.rule().file())
                    .put("rulesVersion", exit.rule().rulesVersion());
        }
        // Always present, null when the converting event carried no value, as the API document says.
        node.put("value", exit.value() == 0 ? null : exit.value());
        // Always present, as the value: true when the user was held out, so the sender had sent them nothing.
        node.put("holdout", exit.holdout());
        return node;
    }
}
