package com.conversionrules.sender;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: the configured schedule (by default Standard Webhooks' 5 s,
 * 5 m, 30 m, 2 h, 5 h, 10 h, then 10 h again) with +-20% jitter, or the receiver's own
 * {@code Retry-After}, but never sooner than the schedule's first wait (a receiver answering
 * {@code Retry-After: 0} would otherwise be hit in a tight loop); and when to stop: once the next
 * attempt would fall beyond the give-up horizon, counted from the first attempt.
 */
final class RetryPolicy {
    /** What to do after a failed attempt: retry at {@code nextAttemptAt}, or give up. */
    record Decision(boolean giveUp, long nextAttemptAt) {
    }

    private final List<Duration> schedule;
    private final long giveUpAfterMillis;
    private final DoubleSupplier random;

    RetryPolicy(List<Duration> schedule, Duration giveUpAfter, DoubleSupplier random) {
        if (schedule.isEmpty()) {
            throw new IllegalArgumentException("the retry schedule needs at least one wait");
        }
        this.schedule = List.copyOf(schedule);
        this.giveUpAfterMillis = giveUpAfter.toMillis();
        this.random = random;
    }

    /**
     * @param failures       failed attempts so far, this one included
     * @param firstAttemptAt when the first attempt was made
     * @param retryAfter     the wait the receiver asked for (429/503 with Retry-After), or null
     */
    Decision afterFailure(int failures, long firstAttemptAt, long now, Long retryAfter) {
        long wait = retryAfter != null ? Math.max(schedule.get(0).toMillis(), retryAfter) : jittered(failures);
        long next = now + wait;
        if (next - firstAttemptAt > giveUpAfterMillis) {
            return new Decision(true, next);
        }
        return new Decision(false, next);
    }

    private long jittered(int failures) {
        long base = schedule.get(Math.min(Math.max(failures, 1), schedule.size()) - 1).toMillis();
        // +-20%, so endpoints recovering from an outage are not hit by every retry at once.
        return (long) (base * (0.8 + 0.4 * random.getAsDouble()));
    }
}
