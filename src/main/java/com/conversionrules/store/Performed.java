package com.conversionrules.store;

/** How often a user performed an event since a time, and when last. */
public record Performed(long count, Long last) {
}
