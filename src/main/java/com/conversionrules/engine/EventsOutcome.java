package com.conversionrules.engine;

import com.conversionrules.model.FailedEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to submitted events: evaluated and kept for the first time, seen before, or set
 * aside because a rule failed on them (nothing of those was kept; sending them again after the
 * rules are fixed evaluates them). In a cluster, {@code queued} counts the events the log took, to
 * be evaluated in order by their partition's owner; the other counts are then zero.
 */
public record EventsOutcome(int accepted, int duplicates, List<FailedEvent> failed, int queued) {
    public static final EventsOutcome NONE = new EventsOutcome(0, 0, List.of());

    public EventsOutcome(int accepted, int duplicates) {
        this(accepted, duplicates, List.of());
    }

    public EventsOutcome(int accepted, int duplicates, List<FailedEvent> failed) {
        this(accepted, duplicates, failed, 0);
    }

    /** Events durably queued on the cluster's log, to be evaluated in order by their partition's owner. */
    public static EventsOutcome queued(int events) {
        return new EventsOutcome(0, 0, List.of(), events);
    }

    EventsOutcome plus(EventsOutcome other) {
        List<FailedEvent> allFailed = failed;
        if (!other.failed.isEmpty()) {
            allFailed = new ArrayList<>(failed);
            allFailed.addAll(other.failed);
        }
        return new EventsOutcome(accepted + other.accepted, duplicates + other.duplicates, allFailed,
                queued + other.queued);
    }
}
