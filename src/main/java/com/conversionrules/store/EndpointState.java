package com.conversionrules.store;

/** An endpoint as the store knows it. */
public record EndpointState(String name, String url, boolean configured, Long disabledAt, String disabledReason) {
}
