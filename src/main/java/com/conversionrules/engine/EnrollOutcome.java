package com.conversionrules.engine;

/**
 * What happened to an enrollment request: new enrollments, and users who were already active; or,
 * in a cluster, enrollments durably queued, applied in order by their partition's owner.
 */
public record EnrollOutcome(int enrolled, int alreadyActive, int queued) {
    public EnrollOutcome(int enrolled, int alreadyActive) {
        this(enrolled, alreadyActive, 0);
    }

    public static EnrollOutcome queued(int enrollments) {
        return new EnrollOutcome(0, 0, enrollments);
    }

    public EnrollOutcome plus(EnrollOutcome other) {
        return new EnrollOutcome(enrolled + other.enrolled, alreadyActive + other.alreadyActive,
                queued + other.queued);
    }
}
