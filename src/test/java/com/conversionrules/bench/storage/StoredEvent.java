package com.conversionrules.bench.storage;

/**
 * An event as the service must remember it: its dedupe key (user and event id), and the event
 * itself for performed-event queries and a later replay. {@code retry} marks an event sent again
 * after an earlier commit stored it: every candidate's dedupe must call it a duplicate, and nothing
 * else.
 */
record StoredEvent(String userId, String eventId, String name, long time, String campaignId, String properties,
                   long receivedAt, boolean retry) {

    /** The 64-bit fingerprint of the dedupe key that the in-memory dedupe sets hold. */
    long fingerprint() {
        return Fingerprints.of(userId, eventId);
    }

    /** The key of a performed-event query: one user and one event name, hashed to 64 bits. */
    long performedKey() {
        return Fingerprints.of(userId, name);
    }
}
