package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.holdout.Holdout;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Reentry;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.CampaignReport;
import com.conversionrules.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several conversion events, re-entry and holdout inside the shards, with the real rules and store. */
class GoalsEngineTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dataDir;
    private Store store;
    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        store = new Store(dataDir);
        engine = TestEngines.withShippedRules(store);
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
    }

    private static Campaign live(String id, List<String> conversionEvents, Reentry reentry, int holdoutPercent) {
        return new Campaign(id, id, CampaignType.MULTI_TOUCH, conversionEvents.stream()
                .map(event -> new ConversionGoal(event, null)).toList(), null, reentry, holdoutPercent,
                CampaignStatus.LIVE, T0, T0, null);
    }

    private static UserEvent event(String id, String userId, String name, String campaignId) {
        return new UserEvent(id, userId, name, T0 + 1, campaignId, Map.of("value", 150), 150);
    }

    @Test
    void aTwoEventEnrollmentIsTwoFactsUntilEitherEventConvertsIt() {
        engine.loadCampaign(live("either", List.of("placed_order", "clicked_email"), Reentry.ALWAYS, 0)).join();
        long campaigns = engine.shardCount();
        List<Enrollment> enrollments = new ArrayList<>();
        for (int u = 0; u < 100; u++) {
            enrollments.add(new Enrollment("either", "u" + u, T0));
        }
        engine.enroll("either", enrollments).join();
        assertEquals(campaigns + 200, engine.factCount().join(), "one fact per conversion event");

        engine.evaluate(List.of(event("o1", "u1", "Placed Order", null),
                event("c2", "u2", "Clicked Email", "either"))).join();
        assertEquals(campaigns + 196, engine.factCount().join(), "a conversion takes both facts out");
        engine.evaluate(List.of(event("c1", "u1", "Clicked Email", "either"))).join();
        assertEquals(2L, store.stats("either").join().converted(), "u1 converted once");
    }

    @Test
    void anEventCountingForTwoOfTheCampaignsEventsMakesOneExitCreditedToTheFirstListed() {
        engine.loadCampaign(live("vip", List.of("high_value_order", "placed_order"), Reentry.ALWAYS, 0)).join();
        engine.enroll("vip", List.of(new Enrollment("vip", "ann", T0))).join();
        engine.evaluate(List.of(event("o1", "ann", "Placed Order", null))).join();
        List<String> exits = store.exitsAfter(0, 10).join().stream()
                .map(stored -> stored.exit().conversionEvent()).toList();
        assertEquals(List.of("high_value_order"), exits);
        assertEquals((long) engine.shardCount(), engine.factCount().join());
    }

    @Test
    void aUserWhoLeftInABatchNotYetDurableIsStillRefusedReentry() {
        engine.loadCampaign(live("once", List.of("placed_order"), Reentry.NEVER, 0)).join();
        // Queued back to back: the exit and the second enrollment meet before the exit is committed.
        CompletableFuture<EnrollOutcome> first = engine.enroll("once", List.of(new Enrollment("once", "ann", T0)));
        CompletableFuture<EventsOutcome> order = engine.evaluate(List.of(event("o1", "ann", "Placed Order", null)));
        CompletableFuture<EnrollOutcome> second = engine.enroll("once", List.of(new Enrollment("once", "ann", T0 + 2)));
        assertEquals(1, first.join().enrolled());
        assertEquals(1, order.join().accepted());
        EnrollOutcome again = second.join();
        assertEquals(0, again.enrolled());
        assertEquals(1, again.refusedReentry());
        assertTrue(again.refusals().get(0).reason().contains("reentry: never"), again.toString());

        // And once everything is durable, from the store.
        assertEquals(1, engine.enroll("once", List.of(new Enrollment("once", "ann", T0 + 3))).join().refusedReentry());
    }

    @Test
    void heldOutUsersAreStoredAsSuchOnTheirEnrollmentAndTheirExit() {
        engine.loadCampaign(live("split", List.of("placed_order"), Reentry.ALWAYS, 50)).join();
        List<Enrollment> enrollments = new ArrayList<>();
        List<UserEvent> orders = new ArrayList<>();
        int heldOut = 0;
        for (int u = 0; u < 100; u++) {
            enrollments.add(new Enrollment("split", "u" + u, T0));
            orders.add(event("o" + u, "u" + u, "Placed Order", null));
            heldOut += Holdout.holdsOut("split", "u" + u, 50) ? 1 : 0;
        }
        assertEquals(heldOut, engine.enroll("split", enrollments).join().holdout());
        engine.evaluate(orders).join();
        CampaignReport report = store.report("split").join();
        assertEquals(heldOut, report.holdout().enrolled());
        assertEquals(heldOut, report.holdout().converted());
        assertEquals(100 - heldOut, report.treatment().converted());
        assertEquals(heldOut, store.exitsAfter(0, 1_000).join().stream()
                .filter(stored -> stored.exit().holdout()).count());
    }
}
