package com.conversionrules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.EventHistory;
import com.conversionrules.store.PastEnrollment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replay's rules of time, over a history held in memory and the real rules folder. */
class ReplayerTest {
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long FROM = T0 - HOUR;
    private static final long UNTIL = T0 + 100 * HOUR;
    private static LoadedRules rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = new RulesLoader(Path.of("rules")).load();
    }

    /** A history of one campaign in memory: users in order, each with enrollments and events. */
    private static final class Memory implements EventHistory {
        final Map<String, List<PastEnrollment>> enrollments = new LinkedHashMap<>();
        final Map<String, List<UserEvent>> events = new LinkedHashMap<>();
        long retainedSince = FROM;

        Memory enrolled(String user, long at, Exit exit) {
            enrollments.computeIfAbsent(user, key -> new ArrayList<>()).add(new PastEnrollment(user, at, exit));
            return this;
        }

        Memory event(String user, String id, String name, long at) {
            events.computeIfAbsent(user, key -> new ArrayList<>())
                    .add(new UserEvent(id, user, name, at, "c", Map.of(), 0));
            return this;
        }

        @Override
        public long retainedSince() {
            return retainedSince;
        }

        @Override
        public List<Campaign> campaigns() {
            return List.of();
        }

        @Override
        public void forEachUser(String campaignId, long from, long until, BooleanSupplier keepGoing,
                                UserHistory consumer) {
            enrollments.forEach((user, past) -> consumer.accept(user, past,
                    events.getOrDefault(user, List.of()).iterator()));
        }

        @Override
        public void close() {
        }
    }

    private static Campaign campaign(ConversionWindow window, String... events) {
        List<ConversionGoal> goals = new ArrayList<>();
        for (String event : events) {
            goals.add(new ConversionGoal(event, null));
        }
        return new Campaign("c", "c", CampaignType.MULTI_TOUCH, goals, window, null, 0, CampaignStatus.LIVE, T0, T0,
                null);
    }

    private static Exit exit(String user, ExitReason reason, String conversionEvent, String eventId, long at) {
        return new Exit(1, "x-" + user + at, "c", user, reason, conversionEvent, eventId, 0, null, at);
    }

    private static ReplayReport replay(Memory history, Campaign proposed) {
        return Simulator.run(history, "c", FROM, UNTIL, List.of(new Arm("proposed", rules, proposed)), false,
                () -> true);
    }

    @Test
    void anotherConversionEventConvertsWhoDidItAndTheExitTimeIsTheEventsTime() {
        Memory history = new Memory()
                .enrolled("ann", T0, exit("ann", ExitReason.CONVERTED, "placed_order", "o1", T0 + 50 * HOUR))
                .event("ann", "c1", "Clicked Email", T0 + HOUR)
                .event("ann", "o1", "Placed Order", T0 + 2 * HOUR)
                .enrolled("bob", T0, null)
                .event("bob", "c2", "Clicked Email", T0 + 3 * HOUR);
        ReplayReport report = replay(history, campaign(null, "clicked_email"));
        assertEquals(2, report.enrollments());
        assertEquals(3, report.events());
        assertEquals(1, report.actual().converted());
        assertEquals(2, report.arms().get(0).tally().converted());
        assertEquals(1, report.changes().newlyConverted());
        assertEquals(1, report.changes().convertedDifferently());
        ReplayReport.Difference ann = report.differences().get(0);
        assertEquals(new Outcome("placed_order", T0 + 2 * HOUR, "o1"), ann.actual(),
                "dated by the order's time, not when the exit was stored");
        assertEquals(new Outcome("clicked_email", T0 + HOUR, "c1"), ann.arms().get(0));
    }

    @Test
    void aUserRemovedOrWhoseCampaignEndedDoesNotConvertAfterLeaving() {
        Memory history = new Memory()
                .enrolled("ann", T0, exit("ann", ExitReason.REMOVED, null, null, T0 + HOUR))
                .event("ann", "o1", "Placed Order", T0 + 2 * HOUR)
                .enrolled("bob", T0, exit("bob", ExitReason.CAMPAIGN_ENDED, null, null, T0 + 3 * HOUR))
                .event("bob", "o2", "Placed Order", T0 + 2 * HOUR);
        ReplayReport report = replay(history, campaign(null, "placed_order"));
        assertEquals(1, report.arms().get(0).tally().converted(), "bob ordered before the end, ann after removal");
        assertEquals("bob", report.differences().get(0).userId());
    }

    @Test
    void eachEnrollmentIsReplayedOverItsOwnStretchAndWindowsCountFromItsStart() {
        Memory history = new Memory()
                .enrolled("ann", T0, exit("ann", ExitReason.CONVERTED, "clicked_email", "c1", T0 + HOUR))
                .enrolled("ann", T0 + 10 * HOUR, null)
                .event("ann", "c1", "Clicked Email", T0 + HOUR)
                .event("ann", "o1", "Placed Order", T0 + 5 * HOUR)
                .event("ann", "o2", "Placed Order", T0 + 11 * HOUR);
        ReplayReport report = replay(history, campaign(new ConversionWindow(Duration.ofHours(2)), "placed_order"));
        assertEquals(2, report.enrollments());
        assertEquals(1, report.users());
        List<Outcome> replayed = report.differences().stream().map(d -> d.arms().get(0)).toList();
        // The first enrollment: o1 is 5 h in, outside 2 h. The second: o2 is 1 h in.
        assertEquals(List.of(Outcome.NONE, new Outcome("placed_order", T0 + 11 * HOUR, "o2")), replayed);
    }

    @Test
    void aRealConversionAfterTheRangeDoesNotCountAsConvertedWithinIt() {
        Memory history = new Memory()
                .enrolled("ann", T0, exit("ann", ExitReason.CONVERTED, "placed_order", "late", UNTIL + HOUR));
        ReplayReport report = replay(history, campaign(null, "placed_order"));
        assertEquals(0, report.actual().converted());
        assertEquals(1, report.changes().unchanged());
    }

    @Test
    void aRangeStartingBeforeTheKeptHistoryIsRefused() {
        Memory history = new Memory();
        history.retainedSince = FROM + 1;
        Rejection refused = assertThrows(Rejection.class, () -> replay(history, campaign(null, "placed_order")));
        assertEquals(Rejection.Kind.UNPROCESSABLE, refused.kind());
        assertTrue(refused.getMessage().startsWith("the store keeps events since 2026-11-01T09:00:00.001Z"),
                refused.getMessage());
    }

    @Test
    void conversionsAreCountedOnTheDayTheyHappened() {
        Memory history = new Memory()
                .enrolled("ann", T0, exit("ann", ExitReason.CONVERTED, "placed_order", "o1", T0 + 30 * HOUR))
                .event("ann", "o1", "Placed Order", T0 + 30 * HOUR);
        ReplayReport report = replay(history, campaign(null, "placed_order"));
        long[] secondDay = report.byDay().get(LocalDate.parse("2026-11-02"));
        assertEquals(1, secondDay[0], "actual");
        assertEquals(1, secondDay[1], "replayed");
        assertEquals(5, report.byDay().size(), "2026-11-01 to 2026-11-05");
    }
}
