package com.conversionrules.model;

import java.util.Objects;
import org.kie.api.definition.type.ClassReactive;

/**
 * One user in one campaign, present in the session while the enrollment is active. Never modified
 * in a session (only inserted, replaced and deleted), so reacting per class costs nothing; saying so
 * keeps Drools quiet about conditions such as {@link #inConversionWindow} that read fields only.
 *
 * <p>An enrollment carries its campaign's conversion terms (the conversion event and window), set by
 * {@link #under(Campaign)} when it enters a session. Policies match {@code Enrollment( conversionEvent
 * == "placed_order", ... )}, so each enrollment is held in the join memory of the rules for its own
 * campaign's event only, instead of in every rule's. Until then the terms are unset and no policy
 * matches it.
 */
@ClassReactive
public final class Enrollment {
    private final String campaignId;
    private final String userId;
    private final long enrolledAt;
    private final String conversionEvent;
    private final ConversionWindow conversionWindow;

    /** An enrollment whose campaign terms are not known yet; see {@link #under(Campaign)}. */
    public Enrollment(String campaignId, String userId, long enrolledAt) {
        this(campaignId, userId, enrolledAt, null, null);
    }

    private Enrollment(String campaignId, String userId, long enrolledAt, String conversionEvent,
                       ConversionWindow conversionWindow) {
        this.campaignId = campaignId;
        this.userId = userId;
        this.enrolledAt = enrolledAt;
        this.conversionEvent = conversionEvent;
        this.conversionWindow = conversionWindow;
    }

    /** This enrollment under the campaign's current conversion terms (itself when they already apply). */
    public Enrollment under(Campaign campaign) {
        if (Objects.equals(conversionEvent, campaign.conversionEvent())
                && Objects.equals(conversionWindow, campaign.conversionWindow())) {
            return this;
        }
        return new Enrollment(campaignId, userId, enrolledAt, campaign.conversionEvent(), campaign.conversionWindow());
    }

    public String getCampaignId() { return campaignId; }
    public String getUserId() { return userId; }
    /** When the user entered the campaign, in epoch milliseconds. */
    public long getEnrolledAt() { return enrolledAt; }
    /** The conversion event id the campaign waits for; null until {@link #under(Campaign)}. */
    public String getConversionEvent() { return conversionEvent; }

    /**
     * True when the event falls in this enrollment's conversion window: at or after the user
     * enrolled, and no later than the campaign's {@code conversionWindow} after that when it sets one.
     * Policies call it so that every conversion event honours the window in one readable condition.
     */
    public boolean inConversionWindow(UserEvent event) {
        if (event.getTime() < enrolledAt) {
            return false;
        }
        return conversionWindow == null || event.getTime() <= conversionWindow.endFor(enrolledAt);
    }

    @Override
    public String toString() {
        return "Enrollment[" + userId + " in " + campaignId + "]";
    }
}
