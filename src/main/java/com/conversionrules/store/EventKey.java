package com.conversionrules.store;

/**
 * 64-bit fingerprints of text pairs: a user's event id (dedupe), a user's event name (the
 * performed-event index). FNV-1a over both strings, then MurmurHash3's fmix64 so every bit depends
 * on every char. Two different pairs share a fingerprint with a probability of about 2^-64 each.
 */
public final class EventKey {
    private EventKey() {
    }

    public static long of(String first, String second) {
        long hash = 0xcbf29ce484222325L;
        hash = mix(hash, first);
        hash = (hash ^ 0xffff) * 0x100000001b3L; // a separator: ids and names never hold U+FFFF
        hash = mix(hash, second);
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    private static long mix(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }
}
