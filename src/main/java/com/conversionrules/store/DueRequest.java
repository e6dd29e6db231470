package com.conversionrules.store;

/**
 * What the sender asks the outbox for one endpoint: up to {@code limit} retries due by now, after
 * {@code retriesAfter} in the order retries come due; and up to {@code limit} never-tried deliveries
 * stored after the delivery {@code freshAfter} (a {@link DueDelivery#seq()}). Null skips either.
 */
public record DueRequest(int limit, DuePosition retriesAfter, Long freshAfter) {
    public DueRequest {
        if (limit < 1) {
            throw new IllegalArgumentException("a due request needs a limit of at least 1, got " + limit);
        }
    }
}
