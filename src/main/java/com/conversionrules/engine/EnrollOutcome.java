package com.conversionrules.engine;

/** What happened to an enrollment request: new enrollments, and users who were already active. */
public record EnrollOutcome(int enrolled, int alreadyActive) {
    public EnrollOutcome plus(EnrollOutcome other) {
        return new EnrollOutcome(enrolled + other.enrolled, alreadyActive + other.alreadyActive);
    }
}
