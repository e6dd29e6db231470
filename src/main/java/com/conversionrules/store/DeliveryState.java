package com.conversionrules.store;

/** Where one exit's delivery to one endpoint stands. */
public record DeliveryState(String endpoint, int attempts, Long firstAttemptAt, long nextAttemptAt, Integer lastStatus, String lastError, Long deliveredAt, Long gaveUpAt, boolean endpointConfigured, Long endpointDisabledAt) {
}
