package com.conversionrules.sender;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter between delivery attempts: 1 s, 2 s, 4 s ... up to 10 minutes. */
final class Backoff {
    private static final long FIRST_MILLIS = 1_000;
    private static final long MAX_MILLIS = 10 * 60 * 1_000;

    private Backoff() {
    }

    /** The wait after the given number of failed attempts (1 for the first failure). */
    static long afterFailures(int failures) {
        long base = failures >= 20 ? MAX_MILLIS : Math.min(MAX_MILLIS, FIRST_MILLIS << Math.max(0, failures - 1));
        // +-20% so that endpoints recovering from an outage are not hit by every retry at once.
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return (long) (base * jitter);
    }
}
