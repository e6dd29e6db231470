package com.conversionrules.model;

import org.kie.api.definition.type.ClassReactive;

/**
 * One user in one campaign, present in the session while the enrollment is active. Never modified
 * in a session (only inserted and deleted), so reacting per class costs nothing; saying so keeps
 * Drools quiet about conditions such as {@link #inConversionWindow} that read other facts.
 */
@ClassReactive
public final class Enrollment {
    private final String campaignId;
    private final String userId;
    private final long enrolledAt;

    public Enrollment(String campaignId, String userId, long enrolledAt) {
        this.campaignId = campaignId;
        this.userId = userId;
        this.enrolledAt = enrolledAt;
    }

    public String getCampaignId() { return campaignId; }
    public String getUserId() { return userId; }
    /** When the user entered the campaign, in epoch milliseconds. */
    public long getEnrolledAt() { return enrolledAt; }

    /**
     * True when the event falls in this enrollment's conversion window: at or after the user
     * enrolled, and no later than the campaign's {@code conversionWindow} after that when it sets one.
     * Policies call it so that every conversion event honours the window in one readable condition.
     */
    public boolean inConversionWindow(UserEvent event, Campaign campaign) {
        if (event.getTime() < enrolledAt) {
            return false;
        }
        ConversionWindow window = campaign.conversionWindow();
        return window == null || event.getTime() <= window.endFor(enrolledAt);
    }

    @Override
    public String toString() {
        return "Enrollment[" + userId + " in " + campaignId + "]";
    }
}
