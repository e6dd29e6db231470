package com.conversionrules.store;

/** A sender endpoint and its deliveries waiting and given up. */
public record EndpointReport(EndpointState endpoint, Backlog backlog) {
}
