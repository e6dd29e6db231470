package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A shard's memory of event ids: kept for at least the window, at most twice it, and nothing else. */
class SeenEventsTest {
    private static final long DAY = 24 * 3600_000L;
    private static final long WINDOW = 7 * DAY;

    @Test
    void anIdStaysKnownForTheWholeWindowAndIsForgottenWithinTwice() {
        SeenEvents seen = new SeenEvents(WINDOW, 0);
        long id = SeenEvents.fingerprint("ann", "evt-1");
        seen.add(id, 6 * DAY, 6 * DAY); // near the end of the first generation
        assertTrue(seen.contains(id));
        seen.add(SeenEvents.fingerprint("bob", "x"), 6 * DAY + WINDOW - 1, 6 * DAY + WINDOW - 1);
        assertTrue(seen.contains(id), "still known one window after it was seen");
        seen.add(SeenEvents.fingerprint("bob", "y"), 2 * WINDOW, 2 * WINDOW);
        assertFalse(seen.contains(id), "forgotten once two generations passed");
    }

    @Test
    void idsReadBackFromTheStoreAtStartAreKeptForTheRestOfTheirWindow() {
        long now = 10 * WINDOW + DAY;
        SeenEvents seen = new SeenEvents(WINDOW, now);
        seen.add(1, now - DAY, now);
        seen.add(2, now - WINDOW - DAY, now);
        assertTrue(seen.contains(1));
        assertFalse(seen.contains(2), "received more than a window ago: no longer promised");
        assertEquals(1, seen.size());
        seen.add(3, now + WINDOW - 2 * DAY, now + WINDOW - 2 * DAY);
        assertTrue(seen.contains(1), "a window after it was received, still known");
    }

    @Test
    void aRemovedIdIsNewAgain() {
        SeenEvents seen = new SeenEvents(WINDOW, 0);
        long id = SeenEvents.fingerprint("ann", "evt-1");
        seen.add(id, 0, 0);
        seen.remove(id);
        assertFalse(seen.contains(id));
    }

    @Test
    void fingerprintsTellUserAndIdApartAndSpreadOverAllBits() {
        assertNotEquals(SeenEvents.fingerprint("ab", "c"), SeenEvents.fingerprint("a", "bc"));
        assertNotEquals(SeenEvents.fingerprint("ann", "1"), SeenEvents.fingerprint("1", "ann"));
        Set<Long> distinct = new HashSet<>();
        long orOfAll = 0;
        long andOfAll = -1;
        for (int i = 0; i < 200_000; i++) {
            long fingerprint = SeenEvents.fingerprint("user-" + (i % 1000), "evt-" + i);
            distinct.add(fingerprint);
            orOfAll |= fingerprint;
            andOfAll &= fingerprint;
        }
        assertEquals(200_000, distinct.size(), "no collision among sequential ids");
        assertEquals(-1L, orOfAll, "every bit is set somewhere");
        assertEquals(0L, andOfAll, "every bit is clear somewhere");
    }
}
