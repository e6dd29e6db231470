package com.conversionrules.model;

/**
 * A campaign as the rules see it, and as the store keeps it. Immutable: a change is a new instance,
 * which each shard swaps into its session.
 *
 * @param conversionWindow how long after enrolling an event can still convert; null for no limit
 */
public record Campaign(String id, String name, CampaignType type, String conversionEvent,
                       ConversionWindow conversionWindow, CampaignStatus status, long createdAt, Long launchedAt,
                       Long endedAt) {

    /** The conversion event id that means "never exit on conversion". */
    public static final String NO_CONVERSION_EVENT = "none";

    public String getId() { return id; }
    public String getConversionEvent() { return conversionEvent; }
    public ConversionWindow getConversionWindow() { return conversionWindow; }
    public boolean isLive() { return status == CampaignStatus.LIVE; }

    public Campaign withConversionEvent(String newConversionEvent) {
        return new Campaign(id, name, type, newConversionEvent, conversionWindow, status, createdAt, launchedAt,
                endedAt);
    }

    public Campaign withConversionWindow(ConversionWindow newWindow) {
        return new Campaign(id, name, type, conversionEvent, newWindow, status, createdAt, launchedAt, endedAt);
    }

    public Campaign withName(String newName) {
        return new Campaign(id, newName, type, conversionEvent, conversionWindow, status, createdAt, launchedAt,
                endedAt);
    }

    public Campaign launched(long at) {
        return new Campaign(id, name, type, conversionEvent, conversionWindow, CampaignStatus.LIVE, createdAt, at,
                endedAt);
    }

    public Campaign ended(long at) {
        return new Campaign(id, name, type, conversionEvent, conversionWindow, CampaignStatus.ENDED, createdAt,
                launchedAt, at);
    }
}
