package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.Store;
import com.conversionrules.store.StoreQueries;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded shard queues: a request the engine has no room for is refused whole, with nothing applied. */
class AdmissionTest {
    private static final int ROOM = 10;

    @TempDir
    Path dataDir;

    /** Events whose users all live on the given shard. */
    private static List<UserEvent> eventsOn(Engine engine, int shard, int count, String prefix) {
        List<UserEvent> events = new ArrayList<>();
        for (int u = 0; events.size() < count; u++) {
            if (engine.shardOf("u" + u) == shard) {
                events.add(new UserEvent(prefix + u, "u" + u, "Viewed Product", 1L, null, Map.of(), 0));
            }
        }
        return events;
    }

    @Test
    void aRequestWithoutRoomOnEveryShardIsRefusedWhole() throws Exception {
        try (Store store = new Store(dataDir);
             Engine engine = new Engine(new RulesLoader(Path.of("rules")).load(), store, 2, 64, ROOM,
                     Clock.systemUTC(), () -> { }, Metrics.inMemory())) {
            engine.loadCampaign(new Campaign("c", "c", CampaignType.MULTI_TOUCH, "placed_order", null, CampaignStatus.LIVE,
                    1L, 1L, null));
            // The shards are not started yet, so nothing leaves their queues.
            CompletableFuture<EventsOutcome> first = engine.evaluate(eventsOn(engine, 0, 8, "a"));
            assertEquals(8, engine.queueDepth(0));

            List<UserEvent> second = new ArrayList<>(eventsOn(engine, 1, 1, "b"));
            second.addAll(eventsOn(engine, 0, 5, "b"));
            Rejection refused = assertThrows(Rejection.class, () -> engine.evaluate(second));
            assertEquals(Rejection.Kind.TOO_BUSY, refused.kind());
            assertEquals(0, engine.queueDepth(1), "the room taken on shard 1 was given back");
            assertEquals(8, engine.queueDepth(0));

            engine.start();
            assertEquals(new EventsOutcome(8, 0), first.join());
            assertEquals(0, engine.queueDepth(0));
            for (UserEvent event : second) {
                assertEquals(false, StoreQueries.storedEvent(store, event.getUserId(), event.getId()),
                        "nothing of the refused request was stored");
            }
            assertEquals(new EventsOutcome(6, 0), engine.evaluate(second).join(), "it gets in once there is room");
        }
    }
}
