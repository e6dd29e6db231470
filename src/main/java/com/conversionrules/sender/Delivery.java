package com.conversionrules.sender;

import com.conversionrules.model.Exit;
import com.conversionrules.store.DueDelivery;

/** One exit to one endpoint, with its attempts so far and when the first was made (null before it). */
record Delivery(Exit exit, String endpoint, int attempts, Long firstAttemptAt) {
    /** An exit just committed, never tried. */
    static Delivery fresh(Exit exit, String endpoint) {
        return new Delivery(exit, endpoint, 0, null);
    }

    /** A delivery read back from the outbox. */
    static Delivery of(DueDelivery due) {
        return new Delivery(due.exit(), due.endpoint(), due.attempts(), due.firstAttemptAt());
    }

    String exitId() {
        return exit.id();
    }
}
