package com.conversionrules.store;

import com.conversionrules.model.Exit;

/** A delivery whose next attempt is due, with the exit to send. */
public record DueDelivery(Exit exit, String endpoint, int attempts, Long firstAttemptAt, long seq) {
}
