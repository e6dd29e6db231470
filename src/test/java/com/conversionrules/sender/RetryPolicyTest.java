package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry schedule, its jitter, Retry-After and the give-up horizon. */
class RetryPolicyTest {
    private static final List<Duration> STANDARD = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));

    @Test
    void waitsFollowTheScheduleAndTheLastWaitRepeats() {
        RetryPolicy policy = new RetryPolicy(STANDARD, Duration.ofDays(30), () -> 0.5);
        assertEquals(5_000, policy.afterFailure(1, 0, 0, null).nextAttemptAt());
        assertEquals(300_000, policy.afterFailure(2, 0, 0, null).nextAttemptAt());
        assertEquals(36_000_000, policy.afterFailure(6, 0, 0, null).nextAttemptAt());
        assertEquals(36_000_000, policy.afterFailure(40, 0, 0, null).nextAttemptAt());
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        assertEquals(4_000, new RetryPolicy(STANDARD, Duration.ofDays(3), () -> 0.0).afterFailure(1, 0, 0, null)
                .nextAttemptAt());
        assertEquals(5_999, new RetryPolicy(STANDARD, Duration.ofDays(3), () -> 0.99995).afterFailure(1, 0, 0, null)
                .nextAttemptAt());
    }

    @Test
    void retryAfterReplacesTheSchedule() {
        RetryPolicy policy = new RetryPolicy(STANDARD, Duration.ofDays(3), () -> 0.5);
        assertEquals(1_000 + 7_000, policy.afterFailure(3, 0, 1_000, 7_000L).nextAttemptAt());
    }

    @Test
    void aRetryBeyondTheHorizonIsGivenUp() {
        RetryPolicy policy = new RetryPolicy(STANDARD, Duration.ofDays(3), () -> 0.5);
        long first = 1_000_000;
        long day = Duration.ofDays(1).toMillis();
        assertFalse(policy.afterFailure(8, first, first + 2 * day, null).giveUp());
        assertTrue(policy.afterFailure(9, first, first + 3 * day - 1_000, null).giveUp());
        assertTrue(policy.afterFailure(2, first, first, Duration.ofDays(4).toMillis()).giveUp());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertEquals(120_000L, RetryAfter.millis("120", 0));
        long now = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.parse("2026-11-27T10:00:30Z")
                .atOffset(ZoneOffset.UTC));
        assertEquals(30_000L, RetryAfter.millis(date, now));
        assertNull(RetryAfter.millis("soon", now));
        assertNull(RetryAfter.millis(null, now));
        assertNull(RetryAfter.millis("99999999999999999999", now));
    }
}
