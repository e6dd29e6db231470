package com.conversionrules.http;

import java.time.LocalDate;
import java.time.Year;

/**
 * Reads the form nearly every client sends, {@code 2026-11-27T10:15:30Z} with an optional fraction,
 * without a {@code DateTimeFormatter}: that took about as long as the rest of an event's checks. Any
 * other form, and anything out of range, is left to {@link java.time.OffsetDateTime#parse}, so what is
 * accepted and what each error says do not change.
 */
final class UtcTimes {
    /** Returned for text this fast path does not read. */
    static final long OTHER_FORM = Long.MIN_VALUE;

    private static final int SHORTEST = "2026-11-27T10:15:30Z".length();
    private static final int LONGEST = "2026-11-27T10:15:30.123456789Z".length();

    private UtcTimes() {
    }

    /** Epoch milliseconds of {@code text}, or {@link #OTHER_FORM}. */
    static long epochMillis(String text) {
        int length = text.length();
        if (length < SHORTEST || length > LONGEST || length == SHORTEST + 1 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return OTHER_FORM;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = 0;
        if (length > SHORTEST) {
            int fractionDigits = length - SHORTEST - 1;
            if (text.charAt(19) != '.' || digits(text, 20, fractionDigits) < 0) {
                return OTHER_FORM;
            }
            millis = digits(text, 20, Math.min(3, fractionDigits));
            for (int i = fractionDigits; i < 3; i++) {
                millis *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > daysIn(year, month)) {
            return OTHER_FORM;
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1_000L + millis;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The number written by {@code count} ASCII digits from {@code from}, or -1 if one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
