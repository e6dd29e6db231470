package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests admitted during a turn reach the shards at its end, all together and in order. Work
 * queued straight away (a fact count) overtakes them while the turn lasts, which shows where they wait.
 */
class TurnsTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dataDir;
    private Store store;
    private Engine engine;
    /** What the engine left for the end of the test thread's current turn. */
    private final List<Runnable> atEnd = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        store = new Store(dataDir);
        engine = TestEngines.withShippedRules(store);
        engine.loadCampaign(new Campaign("orders", "orders", CampaignType.MULTI_TOUCH, "placed_order", null,
                CampaignStatus.LIVE, T0, T0, null)).join();
        List<Enrollment> users = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            users.add(new Enrollment("orders", "u" + u, T0));
        }
        engine.enroll("orders", users).join();
        engine.queueByTurn(atEnd::add);
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
    }

    private long activeEnrollments() {
        return engine.factCount().join() - engine.shardCount();
    }

    private static UserEvent order(String id, String userId) {
        return new UserEvent(id, userId, "Placed Order", T0 + 1, null, Map.of(), 0);
    }

    @Test
    void theRequestsOfATurnReachTheShardsAtItsEnd() {
        CompletableFuture<EventsOutcome> bothShards = engine.evaluate(List.of(order("o1", "u1"), order("o2", "u2")));
        CompletableFuture<EventsOutcome> again = engine.evaluate(List.of(order("o1", "u1")));
        CompletableFuture<?> removal = engine.remove("orders", "u3");
        assertEquals(1, atEnd.size(), "one hand-over for the whole turn");

        assertEquals(10, activeEnrollments(), "nothing of the turn is evaluated before it ends");
        assertFalse(bothShards.isDone());

        atEnd.remove(0).run();
        assertEquals(new EventsOutcome(2, 0), bothShards.join());
        assertEquals(new EventsOutcome(0, 1), again.join(), "in the order admitted");
        removal.join();
        assertEquals(7, activeEnrollments());
    }

    @Test
    void theNextTurnStartsEmpty() {
        CompletableFuture<EventsOutcome> first = engine.evaluate(List.of(order("o1", "u1")));
        atEnd.remove(0).run();
        assertEquals(new EventsOutcome(1, 0), first.join());

        CompletableFuture<EventsOutcome> second = engine.evaluate(List.of(order("o2", "u2")));
        assertEquals(1, atEnd.size(), "a new hand-over for the new turn");
        assertEquals(9, activeEnrollments());
        atEnd.remove(0).run();
        assertEquals(new EventsOutcome(1, 0), second.join());
        assertEquals(8, activeEnrollments());
    }

    @Test
    void aTurnHandsOverEarlyOnceItHoldsABatch() throws Exception {
        List<UserEvent> views = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            views.add(new UserEvent("v" + i, "u" + i % 10, "Viewed Product", T0 + 1, null, Map.of(), 0));
        }
        // Handed over while the turn goes on: without, it would wait for the end of the turn forever.
        assertEquals(new EventsOutcome(64, 0), engine.evaluate(views).get(30, TimeUnit.SECONDS));

        CompletableFuture<EventsOutcome> order = engine.evaluate(List.of(order("o1", "u1")));
        assertEquals(10, activeEnrollments(), "a small request still waits for the end of the turn");
        assertEquals(1, atEnd.size(), "one end-of-turn hand-over, however many early ones");
        atEnd.forEach(Runnable::run);
        assertEquals(new EventsOutcome(1, 0), order.join());
        assertEquals(9, activeEnrollments());
    }

    @Test
    void aThreadWithoutTurnsQueuesAtOnce() {
        engine.queueByTurn(Turns.NONE);
        assertEquals(new EventsOutcome(1, 0), engine.evaluate(List.of(order("o1", "u1"))).join());
        assertEquals(9, activeEnrollments());
    }
}
