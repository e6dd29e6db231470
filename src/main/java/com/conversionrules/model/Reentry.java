package com.conversionrules.model;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether a user who was in a campaign before may enter it again: {@code never}, {@code always}, or
 * {@code after:P30D} (once that long has passed since they left). Only users who left are concerned:
 * a user still in the campaign is never enrolled twice.
 *
 * @param after how long after leaving a user may enter again; null unless the kind is AFTER
 */
public record Reentry(Kind kind, Duration after) {
    public enum Kind { NEVER, ALWAYS, AFTER }

    public static final Reentry ALWAYS = new Reentry(Kind.ALWAYS, null);
    public static final Reentry NEVER = new Reentry(Kind.NEVER, null);
    private static final String PREFIX = "after:";
    private static final String FORMS = "use \"never\", \"always\" or \"after:\" and an ISO-8601 duration in days, "
            + "hours, minutes or seconds, such as \"after:P30D\"";

    public Reentry {
        if ((kind == Kind.AFTER) != (after != null)) {
            throw new IllegalArgumentException("a duration goes with after: only");
        }
        if (after != null && (after.isZero() || after.isNegative() || after.compareTo(ConversionWindow.LONGEST) > 0)) {
            throw new IllegalArgumentException("re-entry after " + after + ": " + FORMS + ", positive and at most P3650D");
        }
    }

    /** Reads the wire form; the message of the exception says what to send instead. */
    public static Reentry parse(String text) {
        String value = text.strip();
        if (value.equals("never")) {
            return NEVER;
        }
        if (value.equals("always")) {
            return ALWAYS;
        }
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("'" + text + "' is not a re-entry rule: " + FORMS);
        }
        String duration = value.substring(PREFIX.length());
        Duration after;
        try {
            after = Duration.parse(duration);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a re-entry rule: " + FORMS
                    + " (months and years are refused: their length depends on the calendar)");
        }
        if (after.isZero() || after.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' waits for no time: use a positive duration, or "
                    + "\"always\"");
        }
        if (after.compareTo(ConversionWindow.LONGEST) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than P3650D (10 years); use \"never\"");
        }
        return new Reentry(Kind.AFTER, after);
    }

    /**
     * Why a user whose previous enrollment in the campaign is {@code previous} may not enter again
     * at {@code enrolledAt}; empty when they may.
     */
    public Optional<String> refusal(Previous previous, long enrolledAt) {
        return switch (kind) {
            case ALWAYS -> Optional.empty();
            case NEVER -> Optional.of("was in the campaign before (enrolled "
                    + Instant.ofEpochMilli(previous.enrolledAt()) + "); this campaign lets each user enter once "
                    + "(reentry: never)");
            case AFTER -> {
                long allowedFrom = previous.leftAt() + after.toMillis();
                yield enrolledAt >= allowedFrom ? Optional.empty() : Optional.of("left the campaign "
                        + Instant.ofEpochMilli(previous.leftAt()) + "; this campaign lets a user enter again "
                        + ConversionWindow.text(after) + " after leaving (reentry: " + this + "), from "
                        + Instant.ofEpochMilli(allowedFrom));
            }
        };
    }

    /** A user's last enrollment in a campaign, which has ended: when it began and when the user left. */
    public record Previous(long enrolledAt, long leftAt) {
    }

    /** The wire form: never, always or after:P30D. */
    @Override
    public String toString() {
        return switch (kind) {
            case NEVER -> "never";
            case ALWAYS -> "always";
            case AFTER -> PREFIX + ConversionWindow.text(after);
        };
    }
}
