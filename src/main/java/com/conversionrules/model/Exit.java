package com.conversionrules.model;

/**
 * The record that a user left a campaign and why: what the sender is told. {@code id} is stable
 * across redeliveries; {@code seq} orders the feed and is assigned when the exit is stored.
 */
public record Exit(long seq, String id, String campaignId, String userId, ExitReason reason,
                   String conversionEvent, String eventId, double value, String rule, long exitedAt) {

    public Exit withSeq(long newSeq) {
        return new Exit(newSeq, id, campaignId, userId, reason, conversionEvent, eventId, value, rule, exitedAt);
    }
}
