package com.conversionrules.model;

import java.util.Objects;
import org.kie.api.definition.type.ClassReactive;

/**
 * One user in one campaign, present in the session while the enrollment is active. Never modified
 * in a session (only inserted, replaced and deleted), so reacting per class costs nothing; saying so
 * keeps Drools quiet about conditions such as {@link #inConversionWindow} that read fields only.
 *
 * <p>An enrollment carries its campaign's conversion terms (the conversion event and window), set by
 * {@link #under(ConversionTerms)} when it enters a session. Policies match {@code Enrollment( conversionEvent
 * == "placed_order", ... )}, so each enrollment is held in the join memory of the rules for its own
 * campaign's event only, instead of in every rule's. Until then the terms are unset and no policy
 * matches it.
 */
@ClassReactive
public final class Enrollment {
    private final String campaignId;
    private final String userId;
    private final long enrolledAt;
    /** Shared by the campaign's enrollments in a session: one reference here, not two fields. */
    private final ConversionTerms terms;

    /** An enrollment whose campaign terms are not known yet; see {@link #under(ConversionTerms)}. */
    public Enrollment(String campaignId, String userId, long enrolledAt) {
        this(campaignId, userId, enrolledAt, null);
    }

    private Enrollment(String campaignId, String userId, long enrolledAt, ConversionTerms terms) {
        this.campaignId = campaignId;
        this.userId = userId;
        this.enrolledAt = enrolledAt;
        this.terms = terms;
    }

    /** This enrollment under the given conversion terms of its campaign (itself when they already apply). */
    public Enrollment under(ConversionTerms campaignTerms) {
        return Objects.equals(terms, campaignTerms) ? this : new Enrollment(campaignId, userId, enrolledAt, campaignTerms);
    }

    public String getCampaignId() { return campaignId; }
    public String getUserId() { return userId; }
    /** When the user entered the campaign, in epoch milliseconds. */
    public long getEnrolledAt() { return enrolledAt; }
    /** The conversion event id the campaign waits for; null until {@link #under(ConversionTerms)}. */
    public String getConversionEvent() { return terms == null ? null : terms.conversionEvent(); }

    /**
     * True when the event falls in this enrollment's conversion window: at or after the user
     * enrolled, and no later than the campaign's {@code conversionWindow} after that when it sets one.
     * Policies call it so that every conversion event honours the window in one readable condition.
     */
    public boolean inConversionWindow(UserEvent event) {
        if (event.getTime() < enrolledAt) {
            return false;
        }
        ConversionWindow window = terms == null ? null : terms.conversionWindow();
        return window == null || event.getTime() <= window.endFor(enrolledAt);
    }

    @Override
    public String toString() {
        return "Enrollment[" + userId + " in " + campaignId + "]";
    }
}
