package com.conversionrules.store;

/** An exit with where it was read on the exits topic. */
public record PositionedExit(StoredExit stored, LogPosition position) {
}
