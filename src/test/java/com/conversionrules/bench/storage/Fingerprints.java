package com.conversionrules.bench.storage;

/**
 * 64-bit fingerprints of two strings (user and event id, or user and event name): FNV-1a over the
 * characters with a separator, then MurmurHash3's finaliser to spread FNV's weak high bits. With
 * 10M keys in a window the chance that a new event's fingerprint equals an earlier one's is about
 * 10M / 2^64, 5e-13 per event.
 */
final class Fingerprints {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    static long of(String first, String second) {
        long hash = FNV_OFFSET;
        for (int i = 0; i < first.length(); i++) {
            hash = (hash ^ first.charAt(i)) * FNV_PRIME;
        }
        hash = (hash ^ 0xffff) * FNV_PRIME; // not a char a string can end with: "ab"+"c" differs from "a"+"bc"
        for (int i = 0; i < second.length(); i++) {
            hash = (hash ^ second.charAt(i)) * FNV_PRIME;
        }
        return mix(hash);
    }

    /** MurmurHash3's fmix64. */
    static long mix(long hash) {
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    private Fingerprints() {
    }
}
