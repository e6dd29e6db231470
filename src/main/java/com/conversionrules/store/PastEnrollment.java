package com.conversionrules.store;

import com.conversionrules.model.Exit;

/** One enrollment as it happened: when the user entered, and the exit that ended it (null while active). */
public record PastEnrollment(String userId, long enrolledAt, Exit exit) {
}
