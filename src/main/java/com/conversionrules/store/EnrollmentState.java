package com.conversionrules.store;

/**
 * The latest enrollment of a user in a campaign, as a sender asks for it; {@code holdout} when the
 * user is in the campaign's holdout group.
 */
public record EnrollmentState(String campaignId, String userId, String status, long enrolledAt, String exitId,
                              boolean holdout) {
    /** The user is in the campaign. */
    public static final String ACTIVE = "active";
    /** The user left on a conversion. */
    public static final String CONVERTED = "converted";
    /** The user left without converting: removed, or the campaign ended. */
    public static final String EXITED = "exited";
}
