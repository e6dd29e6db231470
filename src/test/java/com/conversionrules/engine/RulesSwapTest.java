package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.Store;
import com.conversionrules.store.StoredExit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * A switch of rules queued behind events that wait in a shard's queue, and events queued behind it:
 * the shards are held (not started) while the queue fills, so the overlap is certain. The events
 * before the switch are evaluated under the old rules, those after it under the new ones, and none
 * is lost: they all land in one batch with the switch in the middle.
 */
class RulesSwapTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int USERS = 200;

    @TempDir
    Path dir;

    private static UserEvent order(String userId) {
        return new UserEvent("order-" + userId, userId, "Placed Order", T0 + 1, null, Map.of(), 0);
    }

    @Test
    void eventsQueuedBeforeASwitchAreEvaluatedUnderTheOldRulesAndTheRestUnderTheNew() throws Exception {
        LoadedRules before = new RulesLoader(Path.of("rules")).load();
        Path edited = Files.createDirectories(dir.resolve("rules"));
        try (Stream<Path> files = Files.list(Path.of("rules"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, edited.resolve(file.getFileName()));
            }
        }
        Path policy = edited.resolve("placed-order.drl");
        Files.writeString(policy, Files.readString(policy).replace("rule \"An order converts", "rule \"Now an order converts"));
        LoadedRules after = new RulesLoader(edited).load();

        try (Store store = new Store(dir.resolve("data"));
             Engine engine = new Engine(before, store, 2, Engine.DEFAULT_MAX_BATCH, 100_000, Clock.systemUTC(),
                     () -> { }, Metrics.inMemory())) {
            engine.loadCampaign(new Campaign("orders", "orders", CampaignType.MULTI_TOUCH, "placed_order", null,
                    CampaignStatus.LIVE, T0, T0, null));
            List<Enrollment> audience = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                audience.add(new Enrollment("orders", "u" + u, T0));
            }
            engine.enroll("orders", audience);
            List<CompletableFuture<EventsOutcome>> evaluated = new ArrayList<>();
            for (int u = 0; u < USERS / 2; u++) {
                evaluated.add(engine.evaluate(List.of(order("u" + u))));
            }
            CompletableFuture<Void> swapped = engine.swapRules(after);
            for (int u = USERS / 2; u < USERS; u++) {
                evaluated.add(engine.evaluate(List.of(order("u" + u))));
            }
            assertEquals(USERS * 2, engine.queueDepth(0) + engine.queueDepth(1),
                    "the enrollments and every event wait in the queues, the switch among them");
            assertFalse(swapped.isDone());

            engine.start();
            swapped.join();
            evaluated.forEach(outcome -> assertEquals(new EventsOutcome(1, 0), outcome.join()));

            Map<String, String> ruleByUser = new TreeMap<>();
            for (StoredExit stored : store.exitsAfter(0, 1_000).join()) {
                Exit exit = stored.exit();
                ruleByUser.put(exit.userId(), exit.rule().name().substring(0, 3) + "@" + exit.rule().rulesVersion());
            }
            Map<String, String> expected = new TreeMap<>();
            for (int u = 0; u < USERS; u++) {
                expected.put("u" + u, u < USERS / 2 ? "An @" + before.version() : "Now@" + after.version());
            }
            Map<String, Long> byRules = new TreeMap<>();
            ruleByUser.values().forEach(rules -> byRules.merge(rules, 1L, Long::sum));
            assertEquals(Map.of("An @" + before.version(), (long) USERS / 2, "Now@" + after.version(), (long) USERS / 2),
                    byRules, "exits by rule and rules version");
            assertEquals(expected, ruleByUser);
        }
    }
}
