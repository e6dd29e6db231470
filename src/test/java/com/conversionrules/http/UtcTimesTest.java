package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtcTimesTest {
    private static final long SEED = System.nanoTime();

    @Test
    void readsEveryUsualTimeAsTheGeneralParserDoes() {
        Random random = new Random(SEED);
        long from = Instant.parse("1990-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2110-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)), random.nextInt(1_000_000_000));
            String text = withFraction(instant, random.nextInt(10));
            assertEquals(general(text), UtcTimes.epochMillis(text), () -> text + " (seed " + SEED + ")");
        }
    }

    @Test
    void leavesEveryOtherFormToTheGeneralParser() {
        for (String text : new String[] {"2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-27T24:00:00Z",
                "2026-11-27T10:60:00Z", "2026-11-27T10:15:60Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
                "2026-11-00T00:00:00Z", "2026-11-27t10:15:30Z", "2026-11-27T10:15:30z", "2026-11-27T10:15:30.Z",
                "2026-11-27T10:15:30.1234567890Z", "2026-11-27T10:15:30+01:00", "2026-11-27 10:15:30Z",
                "+2026-11-27T10:15:30Z", "2026-11-27T10:15Z", "2026-1-27T10:15:30Z", "２026-11-27T10:15:30Z",
                "2026-11-27T10:15:30.12a4Z", "2026-11-27T1a:15:30Z"}) {
            assertEquals(UtcTimes.OTHER_FORM, UtcTimes.epochMillis(text), text);
        }
        assertEquals(general("2024-02-29T23:59:59.999Z"), UtcTimes.epochMillis("2024-02-29T23:59:59.999Z"));
        assertEquals(general("2000-02-29T00:00:00Z"), UtcTimes.epochMillis("2000-02-29T00:00:00Z"));
        assertEquals(UtcTimes.OTHER_FORM, UtcTimes.epochMillis("2100-02-29T00:00:00Z"));
    }

    /** Whatever the fast path reads from a mangled time, the general parser reads the same. */
    @Test
    void neverReadsWhatTheGeneralParserRefusesOrReadsDifferently() {
        Random random = new Random(SEED);
        String alphabet = "0123456789-:.TZz+ ";
        for (int i = 0; i < 200_000; i++) {
            char[] text = withFraction(Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000)),
                    random.nextInt(10)).toCharArray();
            for (int change = random.nextInt(3); change >= 0; change--) {
                text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String mangled = new String(text);
            long fast = UtcTimes.epochMillis(mangled);
            if (fast != UtcTimes.OTHER_FORM) {
                assertEquals(general(mangled), fast, () -> mangled + " (seed " + SEED + ")");
            }
        }
    }

    private static String withFraction(Instant instant, int digits) {
        String whole = instant.toString().substring(0, 19);
        String nanos = String.format("%09d", instant.getNano());
        return whole + (digits == 0 ? "" : "." + nanos.substring(0, digits)) + "Z";
    }

    private static long general(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return UtcTimes.OTHER_FORM;
        }
    }
}
