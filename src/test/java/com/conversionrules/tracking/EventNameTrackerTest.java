package com.conversionrules.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.EventNamesRead;
import com.conversionrules.rules.RulesLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Counting events by name stays bounded, and lists what no rule reads. */
class EventNameTrackerTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static EventNamesRead shipped;

    private final Metrics metrics = Metrics.inMemory();
    private final EventNameTracker tracker = new EventNameTracker(() -> shipped, Clock.fixed(NOW, ZoneOffset.UTC),
            metrics);

    @BeforeAll
    static void loadShippedRules() throws Exception {
        shipped = new RulesLoader(Path.of("rules")).load().eventNames();
    }

    private static UserEvent event(String name) {
        return new UserEvent("e", "u", name, NOW.toEpochMilli(), null, Map.of(), 0);
    }

    private static List<UserEvent> events(String... names) {
        return java.util.Arrays.stream(names).map(EventNameTrackerTest::event).toList();
    }

    @Test
    void namesTheRulesReadAreNotListed() {
        assertEquals(List.of(), tracker.record(events("Placed Order", "Page Viewed", "Placed Order")));
        EventNameTracker.NameStats placed = stats("Placed Order");
        assertEquals(2, placed.events());
        assertEquals(NOW, placed.lastSeen());
        assertEquals(2, placed.readBy().size());
        assertNull(placed.didYouMean());
    }

    @Test
    void unreadNamesAreListedOnceEachWithTheirCountAndASuggestion() {
        List<EventNameTracker.Unrecognized> listed = tracker.record(events("Placed order", "Placed Order",
                "placed_order", "Placed order", "Newsletter Signup"));
        assertEquals(List.of(new EventNameTracker.Unrecognized("Placed order", 2, "Placed Order"),
                new EventNameTracker.Unrecognized("placed_order", 1, "Placed Order"),
                new EventNameTracker.Unrecognized("Newsletter Signup", 1, null)), listed);
        assertEquals(4, metrics.registry().get("conversion_events_unrecognized").counter().count());
        assertEquals(3, metrics.registry().get("conversion_event_names_unrecognized").gauge().value());
        EventNameTracker.NameStats typo = stats("Placed order");
        assertEquals(List.of(), typo.readBy());
        assertEquals("Placed Order", typo.didYouMean());
    }

    @Test
    void theReportHasTheNamesTheRulesReadThatNobodySent() {
        tracker.record(events("Placed Order"));
        EventNameTracker.NameStats unseen = stats("Email Link Clicked");
        assertEquals(0, unseen.events());
        assertNull(unseen.lastSeen());
        assertEquals("clicked-email.drl", unseen.readBy().get(0).file());
        assertEquals("Placed Order", tracker.report().names().get(0).name(), "most events first");
    }

    @Test
    void millionsOfDistinctNamesHoldAtMostTheLimit() {
        List<UserEvent> flood = new ArrayList<>();
        for (int i = 0; i < 3 * EventNameTracker.MAX_NAMES; i++) {
            flood.add(event("junk-" + i));
        }
        List<EventNameTracker.Unrecognized> listed = tracker.record(flood);
        assertEquals(EventNameTracker.MAX_LISTED, listed.size(), "an answer lists a bounded number of names");
        tracker.record(events("Placed Order", "one more junk name"));

        EventNameTracker.Report report = tracker.report();
        long junk = report.names().stream().filter(name -> name.name().startsWith("junk-")).count();
        assertEquals(EventNameTracker.MAX_NAMES, junk);
        assertEquals(2L * EventNameTracker.MAX_NAMES + 1, report.untrackedEvents());
        assertEquals(1, stats("Placed Order").events(), "names the rules read are counted past the limit");
        assertTrue(report.names().stream().noneMatch(name -> name.name().equals("one more junk name")));
    }

    private EventNameTracker.NameStats stats(String name) {
        return tracker.report().names().stream().filter(stats -> stats.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + tracker.report()));
    }
}
