package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** How an answer from a sender endpoint is read. */
class AttemptTest {
    @Test
    void anyTwoHundredDelivers() {
        assertTrue(Attempt.answered(200, null, 0).delivered());
        assertTrue(Attempt.answered(204, null, 0).delivered());
        assertNull(Attempt.answered(202, null, 0).failure());
        assertFalse(Attempt.answered(301, null, 0).delivered());
    }

    @Test
    void retryAfterCountsOnlyOn429And503() {
        assertEquals(2_000L, Attempt.answered(429, "2", 0).retryAfterMillis());
        assertEquals(0L, Attempt.answered(503, "0", 0).retryAfterMillis());
        assertNull(Attempt.answered(500, "2", 0).retryAfterMillis());
        assertNull(Attempt.answered(503, null, 0).retryAfterMillis());
    }

    @Test
    void goneIsNotDeliveredAndSaysSo() {
        Attempt gone = Attempt.answered(410, null, 0);
        assertTrue(gone.gone());
        assertFalse(gone.delivered());
        assertTrue(gone.failure().contains("410"), gone.failure());
    }

    @Test
    void noAnswerKeepsTheErrorAndNoStatus() {
        Attempt refused = Attempt.unanswered(new ConnectException("Connection refused"));
        assertNull(refused.status());
        assertFalse(refused.delivered());
        assertEquals("Connection refused", refused.failure());
        assertEquals("ConnectException", Attempt.unanswered(new ConnectException()).failure());
    }
}
