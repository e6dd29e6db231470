package com.conversionrules.model;

import java.util.Locale;

public enum ExitReason {
    /** The user performed the campaign's conversion event. */
    CONVERTED,
    /** The user was removed through the API. */
    REMOVED,
    /** The campaign ended while the user was still in it; not a conversion. */
    CAMPAIGN_ENDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExitReason fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
