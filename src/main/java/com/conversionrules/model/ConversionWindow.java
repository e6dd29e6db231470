package com.conversionrules.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * How long after enrolling a user's event can still convert them, e.g. {@code P7D}. A campaign
 * without one converts on any event at or after enrollment.
 */
public record ConversionWindow(Duration length) {
    private static final String EXAMPLES = "such as P7D (7 days), PT12H (12 hours) or P1DT6H";
    /** Longer windows mean "no limit" in practice; the cap keeps time arithmetic far from overflow. */
    public static final Duration LONGEST = Duration.ofDays(3650);

    public ConversionWindow {
        if (length == null || length.isZero() || length.isNegative() || length.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a conversion window must be a positive duration of at most P3650D, "
                    + EXAMPLES);
        }
    }

    /**
     * Reads an ISO-8601 duration in days, hours, minutes and seconds. Months and years are refused:
     * their length depends on the calendar, so "within a month" would mean different things.
     */
    public static ConversionWindow parse(String text) {
        Duration length;
        try {
            length = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration in days, hours, minutes "
                    + "or seconds, " + EXAMPLES);
        }
        if (length.isZero() || length.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is not a positive duration: use one "
                    + EXAMPLES);
        }
        if (length.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than P3650D (10 years); leave the window out "
                    + "for no limit");
        }
        return new ConversionWindow(length);
    }

    /** The last instant, in epoch milliseconds, at which an event still converts this enrollment. */
    public long endFor(long enrolledAt) {
        return enrolledAt + length.toMillis();
    }

    /** ISO-8601 with whole days kept as days: {@code P7D} rather than Java's {@code PT168H}. */
    @Override
    public String toString() {
        return text(length);
    }

    /** A duration in ISO-8601 with whole days kept as days, as windows and re-entry delays are shown. */
    public static String text(Duration length) {
        long days = length.toDays();
        Duration rest = length.minusDays(days);
        if (days == 0) {
            return length.toString();
        }
        return rest.isZero() ? "P" + days + "D" : "P" + days + "D" + rest.toString().substring(1);
    }
}
