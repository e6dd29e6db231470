package com.conversionrules.store;

/** One enrollment of a user, and how it ended when it has: {@code exit} is null while active. */
public record UserEnrollment(String campaignId, String status, long enrolledAt, ExplainedExit exit) {
}
