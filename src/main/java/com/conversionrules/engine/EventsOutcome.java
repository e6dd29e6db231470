package com.conversionrules.engine;

import com.conversionrules.model.FailedEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to submitted events: evaluated and kept for the first time, seen before, or set
 * aside because a rule failed on them (nothing of those was kept; sending them again after the
 * rules are fixed evaluates them).
 */
public record EventsOutcome(int accepted, int duplicates, List<FailedEvent> failed) {
    public static final EventsOutcome NONE = new EventsOutcome(0, 0, List.of());

    public EventsOutcome(int accepted, int duplicates) {
        this(accepted, duplicates, List.of());
    }

    EventsOutcome plus(EventsOutcome other) {
        List<FailedEvent> allFailed = failed;
        if (!other.failed.isEmpty()) {
            allFailed = new ArrayList<>(failed);
            allFailed.addAll(other.failed);
        }
        return new EventsOutcome(accepted + other.accepted, duplicates + other.duplicates, allFailed);
    }
}
