package com.conversionrules.engine;

import com.conversionrules.model.Enrollment;
import java.util.function.Consumer;

/**
 * One campaign's active enrollments in a shard, by user id: an open-addressing table of the
 * enrollment facts themselves (linear probing, backward-shift deletion), with each slot's hash kept
 * beside it. A HashMap would spend a 32-byte node per enrollment on top of the session's own; this
 * spends 8 bytes per slot (17 per enrollment at a million), and a probe reads an enrollment only
 * when the hashes match.
 */
final class EnrollmentTable {
    private static final int MIN_CAPACITY = 16;

    private Enrollment[] slots = new Enrollment[MIN_CAPACITY];
    private int[] hashes = new int[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    Enrollment get(String userId) {
        int slot = find(userId, hash(userId));
        return slot < 0 ? null : slots[slot];
    }

    /** Adds the enrollment unless one of the same user is there; true when added. */
    boolean add(Enrollment enrollment) {
        if ((size + 1) * 5L > slots.length * 3L) { // keep the load at most 0.6
            rehash(slots.length * 2);
        }
        String userId = enrollment.getUserId();
        int hash = hash(userId);
        int mask = slots.length - 1;
        int i = hash & mask;
        for (; slots[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && slots[i].getUserId().equals(userId)) {
                return false;
            }
        }
        slots[i] = enrollment;
        hashes[i] = hash;
        size++;
        return true;
    }

    /** Puts an enrollment of a user already in the table in place of the old one. */
    void replace(Enrollment enrollment) {
        int slot = find(enrollment.getUserId(), hash(enrollment.getUserId()));
        if (slot < 0) {
            throw new IllegalArgumentException(enrollment + " is not in the table");
        }
        slots[slot] = enrollment;
    }

    /** Takes the user's enrollment out and returns it; null if there was none. */
    Enrollment remove(String userId) {
        int slot = find(userId, hash(userId));
        if (slot < 0) {
            return null;
        }
        Enrollment removed = slots[slot];
        // Shift later members of the probe run back, so every lookup still finds them.
        int mask = slots.length - 1;
        int hole = slot;
        for (int j = (slot + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hashes[hole] = hashes[j];
                hole = j;
            }
        }
        slots[hole] = null;
        size--;
        if (slots.length > MIN_CAPACITY && size * 8L < slots.length) { // shrink below a load of 1/8
            rehash(slots.length / 2);
        }
        return removed;
    }

    void forEach(Consumer<Enrollment> action) {
        for (Enrollment enrollment : slots) {
            if (enrollment != null) {
                action.accept(enrollment);
            }
        }
    }

    private int find(String userId, int hash) {
        int mask = slots.length - 1;
        for (int i = hash & mask; slots[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && slots[i].getUserId().equals(userId)) {
                return i;
            }
        }
        return -1;
    }

    private void rehash(int capacity) {
        Enrollment[] oldSlots = slots;
        int[] oldHashes = hashes;
        slots = new Enrollment[capacity];
        hashes = new int[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldSlots.length; j++) {
            if (oldSlots[j] != null) {
                int i = oldHashes[j] & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = oldSlots[j];
                hashes[i] = oldHashes[j];
            }
        }
    }

    private static int hash(String userId) {
        int h = userId.hashCode() * 0x9E3779B9; // spread sequential ids ("user-1", "user-2") over the table
        return h ^ (h >>> 16);
    }
}
