package com.conversionrules.model;

/**
 * The record that a user left a campaign and why: what the sender is told. {@code id} is stable
 * across redeliveries; {@code seq} orders the feed and is assigned when the exit is stored;
 * {@code rule} is null for exits no rule made (removal, campaign end).
 */
public record Exit(long seq, String id, String campaignId, String userId, ExitReason reason,
                   String conversionEvent, String eventId, double value, RuleRef rule, long exitedAt) {
}
