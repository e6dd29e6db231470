package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Enrollment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quick reading of a bulk line decides exactly what the JSON routes' checks decide. */
class EnrollmentLineTest {
    private static final long NOW = 1_795_000_000_000L;

    /** What a reading gives: the enrollment's fields, or the refusal's words. */
    private static String outcome(java.util.function.Supplier<Enrollment> reading) {
        try {
            Enrollment e = reading.get();
            return e.getCampaignId() + "|" + e.getUserId() + "|" + e.getEnrolledAt();
        } catch (RuntimeException refused) {
            return refused.getClass().getSimpleName() + ": " + refused.getMessage();
        }
    }

    @Test
    void everyLineReadsAsTheFullChecksReadIt() {
        List<String> lines = List.of(
                "{\"userId\":\"u1\"}",
                " { \"userId\" : \"u1\" } \r",
                "{\"userId\":\"u1\",\"enrolledAt\":\"2026-11-01T10:00:00Z\"}",
                "{\"enrolledAt\":\"2026-11-01T10:00:00+02:00\",\"userId\":\"u1\"}",
                "{\"userId\":\"u1\",\"enrolledAt\":null}",
                "{\"userId\":\"u1\",\"enrolledAt\":\"2099-01-01T00:00:00Z\"}",
                "{\"userId\":\"u1\",\"enrolledAt\":\"yesterday\"}",
                "{\"userId\":\"u1\",\"enrolledAt\":5}",
                "{\"user\\u0049d\":\"u\\u0031\"}",
                "{\"userId\":\"u 1\"}",
                "{\"userId\":\"\"}",
                "{\"userId\":\"x\".repeat}",
                "{\"userId\":\"" + "x".repeat(300) + "\"}",
                "{\"userId\":\"u1\",\"userId\":\"u2\"}",
                "{\"userId\":\"u1\",\"other\":1}",
                "{\"userId\":1}",
                "{\"userId\":null}",
                "{}",
                "[]",
                "\"u1\"",
                "{\"userId\":\"u1\"}{\"userId\":\"u2\"}",
                "{\"userId\":\"u1\"} x",
                "{\"userId\":\"u1\"",
                "{\"userId\":\"ü\"}",
                "{\"userId\":\"u1\",\"enrolledAt\":\"2026-11-01T10:00:00Z\",\"enrolledAt\":\"2026-11-01T10:00:00Z\"}");
        for (String text : lines) {
            String quick = outcome(() -> EnrollmentLine.read(bytes(text), 7, "c", NOW));
            String full = outcome(() -> EnrollmentLine.checked(bytes(text), 7, "c", NOW));
            assertEquals(full, quick, text);
        }
        assertEquals("c|u1|" + NOW, outcome(() -> EnrollmentLine.read(bytes("{\"userId\":\"u1\"}"), 1, "c", NOW)));
        assertTrue(outcome(() -> EnrollmentLine.read(bytes("{\"userId\":1}"), 3, "c", NOW))
                .contains("line 3: userId must be a string"));
    }

    @Test
    void onlyWhitespaceIsBlank() {
        assertTrue(EnrollmentLine.isBlank(bytes("")));
        assertTrue(EnrollmentLine.isBlank(bytes(" \t\r")));
        assertTrue(EnrollmentLine.isBlank(bytes("\u2003")));
        assertFalse(EnrollmentLine.isBlank(bytes(" {")));
        assertFalse(EnrollmentLine.isBlank(bytes(" é")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
