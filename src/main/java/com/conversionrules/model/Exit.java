package com.conversionrules.model;

/**
 * The record that a user left a campaign and why: what the sender is told. {@code id} is stable
 * across redeliveries; {@code seq} orders the feed and is assigned when the exit is stored;
 * {@code rule} is null for exits no rule made (removal, campaign end); {@code holdout} says the user
 * was in the campaign's holdout group, so the sender had sent them nothing.
 */
public record Exit(long seq, String id, String campaignId, String userId, ExitReason reason,
                   String conversionEvent, String eventId, double value, RuleRef rule, long exitedAt,
                   boolean holdout) {

    /** An exit of a user who was not held out. */
    public Exit(long seq, String id, String campaignId, String userId, ExitReason reason, String conversionEvent,
                String eventId, double value, RuleRef rule, long exitedAt) {
        this(seq, id, campaignId, userId, reason, conversionEvent, eventId, value, rule, exitedAt, false);
    }
}
