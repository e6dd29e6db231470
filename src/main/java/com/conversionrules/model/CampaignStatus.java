package com.conversionrules.model;

import java.util.Locale;

public enum CampaignStatus {
    DRAFT, LIVE, ENDED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CampaignStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
