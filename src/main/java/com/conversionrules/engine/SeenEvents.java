package com.conversionrules.engine;

import com.conversionrules.store.EventKey;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;

/**
 * The event ids one shard's users sent within the dedupe window, as 64-bit fingerprints of (user,
 * id) in memory: a duplicate is found without reading the store. Ids live in two generations, each
 * as long as the window, so an id stays known for at least the window and at most twice it; the
 * older generation is dropped whole when a new one starts. Used by the shard's thread only.
 *
 * <p>Two different ids share a fingerprint with a probability of about n / 2^64 (for a billion ids
 * known, 5e-11 per new event): such an event would be taken for a duplicate. That is the price of
 * 8 bytes per id instead of the id itself.
 */
final class SeenEvents {
    private final long generationMillis;
    private LongOpenHashSet current = new LongOpenHashSet();
    private LongOpenHashSet previous = new LongOpenHashSet();
    private long currentSince;

    /** @param window how long an id must stay known; {@code now} starts the first generation */
    SeenEvents(long windowMillis, long now) {
        this.generationMillis = Math.max(1, windowMillis);
        this.currentSince = now;
    }

    boolean contains(long fingerprint) {
        return current.contains(fingerprint) || previous.contains(fingerprint);
    }

    /** Remembers an id seen at {@code at}; an id older than both generations is not kept. */
    void add(long fingerprint, long at, long now) {
        turn(now);
        if (at >= currentSince) {
            current.add(fingerprint);
        } else if (at >= currentSince - generationMillis) {
            previous.add(fingerprint);
        }
    }

    void remove(long fingerprint) {
        current.remove(fingerprint);
        previous.remove(fingerprint);
    }

    int size() {
        return current.size() + previous.size();
    }

    void clear(long now) {
        current = new LongOpenHashSet();
        previous = new LongOpenHashSet();
        currentSince = now;
    }

    /** Starts new generations once the current one is a window old; nothing seen in the last window is lost. */
    private void turn(long now) {
        while (now - currentSince >= generationMillis) {
            previous = now - currentSince >= 2 * generationMillis ? new LongOpenHashSet() : current;
            current = new LongOpenHashSet();
            currentSince += generationMillis;
        }
    }

    /** A user's event id as the store keeps it for dedupe. */
    static long fingerprint(String userId, String eventId) {
        return EventKey.of(userId, eventId);
    }
}
