package com.conversionrules.store;

/**
 * A place in the order retries come due: by next attempt time, then by the order deliveries were
 * stored. A reader that keeps the position of the last retry it read never reads it again until its
 * next failure moves it later.
 */
public record DuePosition(long nextAttemptAt, long seq) {
    /** Before every retry. */
    public static final DuePosition START = new DuePosition(Long.MIN_VALUE, 0);

    public static DuePosition of(DueDelivery delivery) {
        return new DuePosition(delivery.nextAttemptAt(), delivery.seq());
    }
}
