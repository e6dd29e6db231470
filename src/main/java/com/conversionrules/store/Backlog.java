package com.conversionrules.store;

/** Deliveries to one endpoint not delivered yet, and given up. */
public record Backlog(long waiting, long failed) {
}
