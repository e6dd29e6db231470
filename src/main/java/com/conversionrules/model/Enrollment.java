package com.conversionrules.model;

/** One user in one campaign, present in the session while the enrollment is active. */
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

    /** True when the event happened at or after this enrollment began: only such events convert. */
    public boolean counts(UserEvent event) {
        return event.getTime() >= enrolledAt;
    }

    @Override
    public String toString() {
        return "Enrollment[" + userId + " in " + campaignId + "]";
    }
}
