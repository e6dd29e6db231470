package com.conversionrules.model;

import java.util.Locale;

public enum CampaignType {
    MULTI_TOUCH, AUTOMATION, FLOW;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CampaignType fromWire(String value) {
        for (CampaignType type : values()) {
            if (type.wire().equals(value)) {
                return type;
            }
        }
        return null;
    }
}
