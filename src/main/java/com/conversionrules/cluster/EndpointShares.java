package com.conversionrules.cluster;

import com.conversionrules.store.Backlog;
import com.conversionrules.store.EndpointReport;
import com.conversionrules.store.EndpointState;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sender's figures of a cluster, from each instance's share: an instance sends the exits of
 * the partitions the sender group gives it, from an outbox of its own, so each endpoint's waiting
 * and given-up deliveries add up. An endpoint is configured if an instance has it configured, and
 * disabled once any instance's delivery got a 410 Gone (the others stop at their own next 410),
 * since the first such 410 and for its reason.
 */
final class EndpointShares {
    private EndpointShares() {
    }

    /** The endpoints of every share, each once, by name, with its figures added up. */
    static List<EndpointReport> addUp(List<List<EndpointReport>> shares) {
        Map<String, EndpointReport> byName = new TreeMap<>();
        for (List<EndpointReport> share : shares) {
            for (EndpointReport report : share) {
                byName.merge(report.endpoint().name(), report, EndpointShares::add);
            }
        }
        return List.copyOf(byName.values());
    }

    private static EndpointReport add(EndpointReport one, EndpointReport other) {
        EndpointState a = one.endpoint();
        EndpointState b = other.endpoint();
        boolean bFirstDisabled = b.disabledAt() != null && (a.disabledAt() == null || b.disabledAt() < a.disabledAt());
        EndpointState disabled = bFirstDisabled ? b : a;
        // The URL an instance sends to now, rather than one an instance no longer has configured.
        String url = b.configured() && !a.configured() ? b.url() : a.url();
        EndpointState endpoint = new EndpointState(a.name(), url, a.configured() || b.configured(),
                disabled.disabledAt(), disabled.disabledReason());
        Backlog backlog = new Backlog(one.backlog().waiting() + other.backlog().waiting(),
                one.backlog().failed() + other.backlog().failed());
        return new EndpointReport(endpoint, backlog);
    }

    /** An instance's share as its {@code GET /v1/cluster/webhook-endpoints} gives it. */
    static List<EndpointReport> parse(byte[] body) {
        List<EndpointReport> share = new ArrayList<>();
        for (JsonNode endpoint : Wire.tree(body).path("endpoints")) {
            JsonNode disabledAt = endpoint.path("disabledAt");
            share.add(new EndpointReport(new EndpointState(endpoint.path("name").asText(),
                    endpoint.path("url").asText(), endpoint.path("configured").asBoolean(),
                    disabledAt.isTextual() ? Instant.parse(disabledAt.asText()).toEpochMilli() : null,
                    endpoint.path("disabledReason").textValue()),
                    new Backlog(endpoint.path("waiting").asLong(), endpoint.path("failed").asLong())));
        }
        return share;
    }
}
