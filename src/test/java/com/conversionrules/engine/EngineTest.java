package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.CampaignStats;
import com.conversionrules.store.Store;
import com.conversionrules.store.StoreQueries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The shards with the real rules and a real store: what stays in working memory, what gets stored. */
class EngineTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int USERS = 1_000;

    @TempDir
    Path dataDir;
    private Store store;
    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        store = new Store(dataDir);
        engine = TestEngines.withShippedRules(store);
        engine.loadCampaign(live("orders", "placed_order")).join();
        engine.loadCampaign(live("visits", "site_active")).join();
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
    }

    private static Campaign live(String id, String conversionEvent) {
        return new Campaign(id, id, CampaignType.MULTI_TOUCH, conversionEvent, null, CampaignStatus.LIVE, T0, T0, null);
    }

    private static UserEvent event(String id, String userId, String name) {
        return new UserEvent(id, userId, name, T0 + 1, null, Map.of(), 0);
    }

    @Test
    void workingMemoryHoldsCampaignsAndActiveEnrollmentsNeverEvents() {
        List<Enrollment> enrollments = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            enrollments.add(new Enrollment("orders", "u" + u, T0));
        }
        assertEquals(new EnrollOutcome(USERS, 0), engine.enroll("orders", enrollments).join());
        long campaignFacts = 2L * engine.shardCount();
        assertEquals(campaignFacts + USERS, engine.factCount().join());

        // 20,000 events, of which one order per user among the first 100 users converts.
        List<CompletableFuture<EventsOutcome>> outcomes = new ArrayList<>();
        for (int batch = 0; batch < 40; batch++) {
            List<UserEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = batch * 500 + i;
                String name = n % 200 == 0 ? "Placed Order" : "Viewed Product";
                events.add(event("e" + n, "u" + (n % 20_000 / 200 + (n % 200 == 0 ? 0 : 200)), name));
            }
            outcomes.add(engine.evaluate(events));
        }
        int accepted = outcomes.stream().mapToInt(outcome -> outcome.join().accepted()).sum();
        assertEquals(20_000, accepted);

        assertEquals(campaignFacts + USERS - 100, engine.factCount().join());
        assertEquals(new CampaignStats(USERS, USERS - 100, 100, 0),
                store.stats("orders").join());
        assertEquals(20_000L, StoreQueries.storedEvents(store, null));
    }

    @Test
    void anEventSentAgainBeforeTheFirstIsDurableIsStillADuplicate() {
        engine.enroll("visits", List.of(new Enrollment("visits", "ann", T0))).join();
        CompletableFuture<EventsOutcome> first = engine.evaluate(List.of(event("v1", "ann", "Active on Site")));
        CompletableFuture<EventsOutcome> second = engine.evaluate(List.of(event("v1", "ann", "Active on Site")));
        assertEquals(new EventsOutcome(1, 0), first.join());
        assertEquals(new EventsOutcome(0, 1), second.join());
        assertEquals(new CampaignStats(1, 0, 1, 0),
                store.stats("visits").join());
    }
}
