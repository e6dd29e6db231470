package com.conversionrules.bench.storage;

/**
 * A hand-written set of 64-bit fingerprints, measured against fastutil's LongOpenHashSet: linear
 * probing in one long[] whose length need not be a power of two (the slot is the fingerprint's high
 * bits scaled to the length), so it can be sized to the window at exactly its load factor. 0 marks
 * a free slot; the fingerprint 0 is stored as 1, which merges two fingerprints out of 2^64.
 */
final class FingerprintTable {
    private final float loadFactor;
    private long[] slots;
    private int size;
    private int limit;

    FingerprintTable(int expected, float loadFactor) {
        this.loadFactor = loadFactor;
        allocate((int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(Math.max(16, expected) / loadFactor)));
    }

    /** Adds the fingerprint; false if it was there. */
    boolean add(long fingerprint) {
        long value = fingerprint == 0 ? 1 : fingerprint;
        int slot = slotOf(value, slots.length);
        while (true) {
            long current = slots[slot];
            if (current == value) {
                return false;
            }
            if (current == 0) {
                slots[slot] = value;
                if (++size > limit) {
                    allocate(slots.length + (slots.length >> 1));
                }
                return true;
            }
            slot = slot + 1 == slots.length ? 0 : slot + 1;
        }
    }

    boolean contains(long fingerprint) {
        long value = fingerprint == 0 ? 1 : fingerprint;
        int slot = slotOf(value, slots.length);
        while (true) {
            long current = slots[slot];
            if (current == value) {
                return true;
            }
            if (current == 0) {
                return false;
            }
            slot = slot + 1 == slots.length ? 0 : slot + 1;
        }
    }

    int size() {
        return size;
    }

    private static int slotOf(long value, int length) {
        return (int) (((value >>> 32) * length) >>> 32);
    }

    private void allocate(int length) {
        long[] old = slots;
        slots = new long[length];
        limit = (int) (length * loadFactor);
        if (old == null) {
            return;
        }
        for (long value : old) {
            if (value != 0) {
                int slot = slotOf(value, length);
                while (slots[slot] != 0) {
                    slot = slot + 1 == length ? 0 : slot + 1;
                }
                slots[slot] = value;
            }
        }
    }
}
