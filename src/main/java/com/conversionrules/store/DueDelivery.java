package com.conversionrules.store;

import com.conversionrules.model.Exit;

/**
 * A delivery whose next attempt is due, with the exit to send: its attempts so far, when the first
 * was made (null when never tried), when this one was due, and {@code seq}, its place in the order
 * deliveries were stored.
 */
public record DueDelivery(Exit exit, String endpoint, int attempts, Long firstAttemptAt, long nextAttemptAt, long seq) {
}
