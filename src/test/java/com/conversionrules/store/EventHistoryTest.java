package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a replay reads of the store: users in order, each with their events of the range in time order. */
class EventHistoryTest {
    @TempDir
    Path dataDir;

    private static UserEvent event(String id, String user, long time) {
        return new UserEvent(id, user, "Placed Order", time, null, Map.of("value", 12), "{\"value\":12}", 12);
    }

    /** Each user and the ids of their events, as the history hands them out. */
    private static List<String> read(EventHistory history, String campaign, long from, long until, int readAtMost) {
        List<String> seen = new ArrayList<>();
        history.forEachUser(campaign, from, until, () -> true, (user, enrollments, events) -> {
            StringBuilder line = new StringBuilder(user + " x" + enrollments.size() + ":");
            for (int i = 0; i < readAtMost && events.hasNext(); i++) {
                UserEvent event = events.next();
                line.append(' ').append(event.getId());
                assertEquals(12.0, event.getValue(), "the order value is read from the stored properties");
            }
            seen.add(line.toString());
        });
        return seen;
    }

    @Test
    void eachEnrolledUserComesInOrderWithTheirEventsOfTheRangeByTime() throws Exception {
        long now = System.currentTimeMillis();
        try (Store store = new Store(dataDir)) {
            ChangeBatch enrollments = new ChangeBatch(now);
            for (String user : List.of("cy", "ann", "bob")) {
                enrollments.enrollment(new Enrollment("c", user, now + 10), false);
            }
            enrollments.enrollment(new Enrollment("other", "dan", now + 10), false);
            store.commit(enrollments, store.epoch()).join();
            // Received interleaved and out of time order, as a log holds them.
            ChangeBatch events = new ChangeBatch(now);
            events.event(event("b2", "bob", now + 30));
            events.event(event("a1", "ann", now + 20));
            events.event(event("d1", "dan", now + 20));
            events.event(event("b1", "bob", now + 20));
            events.event(event("late", "ann", now + 1_000));
            events.event(event("early", "cy", now - 1_000));
            store.commit(events, store.epoch()).join();

            try (EventHistory history = store.openEventHistory()) {
                assertEquals(List.of("ann x1: a1", "bob x1: b1 b2", "cy x1:"), read(history, "c", now, now + 500, 99),
                        "dan is in another campaign; events outside the range are left out");
                assertEquals(List.of("ann x1: a1", "bob x1: b1", "cy x1:"), read(history, "c", now, now + 500, 1),
                        "a user's events left unread do not reach the next user");
                assertEquals(List.of(), read(history, "c", now + 500, now + 600, 99), "nobody enrolled then");

                // Several campaigns' replays over one copy of the range's events.
                history.prepare(now, now + 500);
                assertEquals(List.of("ann x1: a1", "bob x1: b1 b2", "cy x1:"), read(history, "c", now, now + 500, 99));
                assertEquals(List.of("dan x1: d1"), read(history, "other", now, now + 500, 99));
                assertEquals(List.of("ann x1: a1", "bob x1: b1", "cy x1:"), read(history, "c", now, now + 21, 99),
                        "another range is copied for itself: bob's b2 came later");
            }
            try (EventHistory readOnly = Store.readHistory(dataDir)) {
                assertEquals(List.of("ann x1: a1", "bob x1: b1 b2", "cy x1:"), read(readOnly, "c", now, now + 500, 99),
                        "the analysts' command reads the same while the service holds the directory");
            }
        }
    }

    @Test
    void theHistoryStartsWhenTheStoreWasMadeAndMovesWithRetention() throws Exception {
        long before = System.currentTimeMillis();
        try (Store store = new Store(dataDir)) {
            long made;
            try (EventHistory history = store.openEventHistory()) {
                made = history.retainedSince();
            }
            assertTrue(made >= before && made <= System.currentTimeMillis(), "since " + made);
            ChangeBatch events = new ChangeBatch(made + 1);
            events.event(event("e1", "ann", made + 1));
            store.commit(events, store.epoch()).join();
            ChangeBatch later = new ChangeBatch(made + 5_000);
            later.event(event("e2", "ann", made + 5_000));
            store.commit(later, store.epoch()).join();

            assertEquals(1, store.dropEventsBefore(made + 2_000).join());
            try (EventHistory history = store.openEventHistory()) {
                assertEquals(made + 2_000, history.retainedSince(), "events received before the cutoff are gone");
            }
            assertEquals(0, store.dropEventsBefore(made + 3_000).join());
            try (EventHistory history = store.openEventHistory()) {
                assertEquals(made + 2_000, history.retainedSince(), "nothing dropped, nothing lost");
            }
        }
    }

    @Test
    void aMissingDataDirectoryIsRefusedWithWhatToPointAt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Store.readHistory(dataDir.resolve("nowhere")));
        assertTrue(refused.getMessage().startsWith("no data directory at "), refused.getMessage());
    }
}
