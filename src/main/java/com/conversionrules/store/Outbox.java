package com.conversionrules.store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the sender needs of the store: the endpoints, the deliveries it does not hold in memory (at
 * start, after falling behind, and retries coming due), and where to write the results. Every exit is
 * stored with a delivery to each configured endpoint before the sender hears of it.
 */
public interface Outbox {
    /**
     * The endpoints of this start; exits stored from now on get a delivery to each. Completes with the
     * names among them that a 410 Gone disabled at the same URL: nothing is sent to those.
     */
    CompletableFuture<Set<String>> configureEndpoints(List<ConfiguredEndpoint> endpoints);

    /** For each endpoint asked about: its due retries and never-tried deliveries, as its request says. */
    CompletableFuture<Map<String, DueDeliveries>> due(Map<String, DueRequest> requests, long now);

    /** Writes a batch of attempts' results in one commit, each to its delivery (exit id and endpoint). */
    CompletableFuture<Void> record(List<DeliveryResult> results);
}
