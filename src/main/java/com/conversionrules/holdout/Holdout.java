package com.conversionrules.holdout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who a campaign holds out: a stable function of the campaign and the user, so the same user is in
 * the same group on every node, after every restart and on every re-entry. The user falls in one of
 * 10,000 buckets (the first 8 bytes of SHA-256 over {@code campaignId + "\n" + userId}, as an
 * unsigned number, modulo 10,000) and is held out when the bucket is below {@code percent * 100}.
 * Any system can compute the same answer; hashing the campaign in too gives each campaign its own
 * draw, so one user is not held out of every campaign.
 */
public final class Holdout {
    public static final int MAX_PERCENT = 50;
    static final int BUCKETS = 10_000;

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    private Holdout() {
    }

    /** True when the user is in the campaign's holdout group at {@code percent} (0 holds out nobody). */
    public static boolean holdsOut(String campaignId, String userId, int percent) {
        return percent > 0 && bucket(campaignId, userId) < percent * (BUCKETS / 100);
    }

    static int bucket(String campaignId, String userId) {
        MessageDigest digest = SHA_256.get();
        digest.update(campaignId.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        byte[] hash = digest.digest(userId.getBytes(StandardCharsets.UTF_8));
        long first = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            first = (first << 8) | (hash[i] & 0xFF);
        }
        return (int) Long.remainderUnsigned(first, BUCKETS);
    }
}
