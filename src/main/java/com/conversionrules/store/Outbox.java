package com.conversionrules.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What the sender needs of the store: the endpoints, what is due to each, and where to write the results. */
public interface Outbox {
    /** The endpoints of this start; exits stored from now on get a delivery to each. */
    CompletableFuture<Void> configureEndpoints(List<ConfiguredEndpoint> endpoints);

    /**
     * For each endpoint in {@code limits}: up to that many retries due by {@code now}, and
     * never-tried deliveries after the endpoint's cursor in {@code freshAfter}.
     */
    CompletableFuture<Map<String, DueDeliveries>> due(Map<String, Integer> limits, Map<String, Long> freshAfter, long now);

    /** Writes a batch of attempts' results in one commit. */
    CompletableFuture<Void> record(List<DeliveryResult> results);
}
