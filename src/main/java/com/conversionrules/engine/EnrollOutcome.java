package com.conversionrules.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened to an enrollment request: new enrollments (and how many of them are held out), users
 * who were already active, and users the campaign's re-entry rule refused, the first
 * {@link #REFUSALS_SHOWN} of them with why; or, in a cluster, enrollments durably queued, applied in
 * order by their partition's owner ({@code queued}, the other counts then zero).
 */
public record EnrollOutcome(int enrolled, int alreadyActive, int refusedReentry, int holdout,
                            List<ReentryRefused> refusals, int queued) {
    /** Enough to see why without repeating one reason for a whole audience. */
    public static final int REFUSALS_SHOWN = 100;

    public static final EnrollOutcome NONE = new EnrollOutcome(0, 0, 0, 0, List.of(), 0);

    /** A user the re-entry rule kept out, and why. */
    public record ReentryRefused(String userId, String reason) {
    }

    public EnrollOutcome {
        refusals = List.copyOf(refusals);
    }

    public EnrollOutcome(int enrolled, int alreadyActive) {
        this(enrolled, alreadyActive, 0, 0, List.of(), 0);
    }

    public EnrollOutcome(int enrolled, int alreadyActive, int refusedReentry, int holdout,
                         List<ReentryRefused> refusals) {
        this(enrolled, alreadyActive, refusedReentry, holdout, refusals, 0);
    }

    public static EnrollOutcome queued(int enrollments) {
        return new EnrollOutcome(0, 0, 0, 0, List.of(), enrollments);
    }

    public EnrollOutcome plus(EnrollOutcome other) {
        List<ReentryRefused> both = refusals;
        if (refusals.size() < REFUSALS_SHOWN && !other.refusals.isEmpty()) {
            both = new ArrayList<>(refusals);
            both.addAll(other.refusals.subList(0, Math.min(other.refusals.size(), REFUSALS_SHOWN - refusals.size())));
        }
        return new EnrollOutcome(enrolled + other.enrolled, alreadyActive + other.alreadyActive,
                refusedReentry + other.refusedReentry, holdout + other.holdout, both, queued + other.queued);
    }
}
