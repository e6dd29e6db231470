package com.conversionrules.engine;

/** What happened to submitted events: evaluated for the first time, or seen before. */
public record EventsOutcome(int accepted, int duplicates) {
    EventsOutcome plus(EventsOutcome other) {
        return new EventsOutcome(accepted + other.accepted, duplicates + other.duplicates);
    }
}
