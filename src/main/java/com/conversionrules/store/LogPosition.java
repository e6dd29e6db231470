package com.conversionrules.store;

/**
 * Where a record was read on a partitioned log (a Kafka topic): the same on every instance that
 * reads it, unlike the seq each store gives it.
 */
public record LogPosition(int partition, long offset) {
}
