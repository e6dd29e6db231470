package com.conversionrules.store;

/** An endpoint as configured at this start. */
public record ConfiguredEndpoint(String name, String url) {
}
