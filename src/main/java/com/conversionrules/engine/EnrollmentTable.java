package com.conversionrules.engine;

import com.conversionrules.model.Enrollment;
import java.util.function.Consumer;

/**
 * One campaign's active enrollments in a shard, by user id: an open-addressing table of the
 * enrollment facts themselves (linear probing, backward-shift deletion). A HashMap would spend a
 * 32-byte node per enrollment on top of the session's own; this spends about 8 bytes of array.
 */
final class EnrollmentTable {
    private static final int MIN_CAPACITY = 16;

    private Enrollment[] slots = new Enrollment[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    Enrollment get(String userId) {
        int mask = slots.length - 1;
        for (int i = indexOf(userId, mask); slots[i] != null; i = (i + 1) & mask) {
            if (slots[i].getUserId().equals(userId)) {
                return slots[i];
            }
        }
        return null;
    }

    /** Adds the enrollment unless one of the same user is there; true when added. */
    boolean add(Enrollment enrollment) {
        if (get(enrollment.getUserId()) != null) {
            return false;
        }
        if ((size + 1) * 5L > slots.length * 3L) { // keep the load at most 0.6
            rehash(slots.length * 2);
        }
        place(slots, enrollment);
        size++;
        return true;
    }

    /** Puts an enrollment of a user already in the table in place of the old one. */
    void replace(Enrollment enrollment) {
        int mask = slots.length - 1;
        for (int i = indexOf(enrollment.getUserId(), mask); slots[i] != null; i = (i + 1) & mask) {
            if (slots[i].getUserId().equals(enrollment.getUserId())) {
                slots[i] = enrollment;
                return;
            }
        }
        throw new IllegalArgumentException(enrollment + " is not in the table");
    }

    /** Takes the user's enrollment out and returns it; null if there was none. */
    Enrollment remove(String userId) {
        int mask = slots.length - 1;
        int i = indexOf(userId, mask);
        while (slots[i] != null && !slots[i].getUserId().equals(userId)) {
            i = (i + 1) & mask;
        }
        Enrollment removed = slots[i];
        if (removed == null) {
            return null;
        }
        // Shift later members of the probe run back, so every lookup still finds them.
        int hole = i;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = indexOf(slots[j].getUserId(), mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
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

    private void rehash(int capacity) {
        Enrollment[] next = new Enrollment[capacity];
        for (Enrollment enrollment : slots) {
            if (enrollment != null) {
                place(next, enrollment);
            }
        }
        slots = next;
    }

    private static void place(Enrollment[] table, Enrollment enrollment) {
        int mask = table.length - 1;
        int i = indexOf(enrollment.getUserId(), mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = enrollment;
    }

    private static int indexOf(String userId, int mask) {
        int h = userId.hashCode() * 0x9E3779B9; // spread sequential ids ("user-1", "user-2") over the table
        return (h ^ (h >>> 16)) & mask;
    }
}
