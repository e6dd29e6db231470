package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.rules.ShippedRules;
import com.conversionrules.store.CampaignStats;
import com.conversionrules.store.Store;
import com.conversionrules.store.StoreQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


/**
 * A rule that fails on one event costs that event only: the other events of the same request and
 * of the same fire are evaluated as if it had not come, and nothing the failed event did is kept.
 * The rules here are loaded without check-rules (which refuses the looping one), as a shard must
 * survive whatever reaches it.
 */
class PoisonEventTest {
    private static final long T0 = 1_700_000_000_000L;
    /** Each poison kind is an event name; every rule here also converts "placed_order" campaigns first. */
    private static final String POISON = """
            package policies;

            import com.conversionrules.model.Conversion;
            import com.conversionrules.model.Enrollment;
            import com.conversionrules.model.UserEvent;

            rule "A crash converts first, then throws"
                @conversionEvent("crashing")
            when
                $e : UserEvent( name == "Crash" )
                $enrollment : Enrollment( userId == $e.userId, inConversionWindow( $e ) )
            then
                delete( $enrollment );
                channels["sender"].send( new Conversion( $enrollment, $e ) );
                throw new IllegalStateException("half-finished policy");
            end

            rule "A loop updates its own event for ever"
            when
                $e : UserEvent( name == "Loop" )
            then
                update( $e );
            end

            rule "A bad send hands the sender a string"
            when
                $e : UserEvent( name == "Bad Send" )
            then
                channels["sender"].send( "not a conversion" );
            end

            rule "A mutation writes a time into the event's properties"
            when
                $e : UserEvent( name == "Mutate" )
            then
                $e.getProperties().put( "at", java.time.Instant.now() );
            end

            rule "A poison order also matches the placed-order policy's other campaigns"
            when
                $e : UserEvent( name == "Placed Order", properties["poison"] == true )
            then
                throw new ArithmeticException("/ by zero");
            end
            """;

    @TempDir
    Path dir;
    private Store store;
    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        Path rules = ShippedRules.copyTo(dir.resolve("rules"));
        Files.writeString(rules.resolve("poison.drl"), POISON);
        store = new Store(dir.resolve("data"));
        engine = new Engine(new RulesLoader(rules).load(), store, 2, 64, 10_000, Clock.systemUTC(), () -> { },
                Metrics.inMemory());
        engine.start();
        engine.loadCampaign(live("orders", "placed_order")).join();
        engine.loadCampaign(live("crashes", "crashing")).join();
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Crash    | the rule failed: IllegalStateException: half-finished policy",
        "Loop     | the rules fired more than 10000 times for this one event: a rule loops",
        "Bad Send | the rule failed: IllegalStateException: the rule sent something that is not a Conversion",
        "Mutate   | the rule failed: UnsupportedOperationException"})
    void aPoisonEventIsSetAsideAndTheOthersOfItsFireAreApplied(String poison, String reason) {
        // Users on both shards, every one enrolled in both campaigns; one request, so one fire per shard.
        List<String> users = usersOnEveryShard(8);
        List<Enrollment> enrollments = new ArrayList<>();
        users.forEach(user -> enrollments.add(new Enrollment("orders", user, T0)));
        engine.enroll("orders", enrollments).join();
        engine.enroll("crashes", users.stream().map(user -> new Enrollment("crashes", user, T0)).toList()).join();
        String victim = users.get(0);
        String neighbour = users.stream().filter(user -> engine.shardOf(user) == engine.shardOf(victim))
                .skip(1).findFirst().orElseThrow();

        List<UserEvent> request = new ArrayList<>();
        request.add(event("poison", victim, poison, Map.of()));
        users.stream().skip(1).forEach(user -> request.add(event("order-" + user, user, "Placed Order", Map.of())));
        EventsOutcome outcome = engine.evaluate(request).join();

        assertEquals(users.size() - 1, outcome.accepted(), "every other event was applied");
        assertEquals(1, outcome.failed().size());
        FailedEvent failed = outcome.failed().get(0);
        assertEquals("poison", failed.event().getId());
        assertTrue(failed.rule() != null && failed.rule().startsWith("A "), failed.toString());
        assertTrue(failed.reason().startsWith(reason), failed.reason());
        assertEquals("poison.drl", failed.ruleFile());
        assertEquals(new CampaignStats(users.size(), 1, users.size() - 1, 0), stats("orders"),
                "every innocent user converted, the victim did not");
        assertEquals(new CampaignStats(users.size(), users.size(), 0, 0), stats("crashes"),
                "the crash's conversion was undone with it");
        assertEquals(0, storedEvents(victim), "nothing of the poison event was stored");
        assertEquals(1, storedEvents(neighbour));
        List<FailedEvent> deadLetters = store.failedEventsAfter(0, 10).join();
        assertEquals(1, deadLetters.size());
        assertEquals(failed.reason(), deadLetters.get(0).reason());

        // The victim's enrollments came back into the session: the next good event converts them.
        EventsOutcome later = engine.evaluate(List.of(event("order-2", victim, "Placed Order", Map.of()))).join();
        assertEquals(new EventsOutcome(1, 0), later);
        assertEquals(0, stats("orders").active());
        long campaignFacts = 2L * engine.shardCount();
        assertEquals(campaignFacts + users.size(), engine.factCount().join(),
                "only the crash campaign's enrollments are left; no event stayed in a session");
    }

    @Test
    void aFailedEventSentAgainIsEvaluatedAgainNotTakenForADuplicate() {
        String ann = usersOnEveryShard(1).get(0);
        engine.enroll("orders", List.of(new Enrollment("orders", ann, T0))).join();
        Map<String, Object> poison = Map.of("poison", true);
        assertEquals(1, engine.evaluate(List.of(event("o1", ann, "Placed Order", poison))).join().failed().size());
        assertEquals(1, engine.evaluate(List.of(event("o1", ann, "Placed Order", poison))).join().failed().size(),
                "the same id again: evaluated again, fails again");
        assertEquals(1, stats("orders").active());
    }

    @Test
    void aPoisonEventBesideAnotherOfTheSameUserLeavesThatOneApplied() {
        String ann = usersOnEveryShard(1).get(0);
        engine.enroll("orders", List.of(new Enrollment("orders", ann, T0))).join();
        EventsOutcome outcome = engine.evaluate(List.of(
                event("o1", ann, "Placed Order", Map.of("poison", true)),
                event("o2", ann, "Placed Order", Map.of()))).join();
        assertEquals(1, outcome.accepted());
        assertEquals("o1", outcome.failed().get(0).event().getId());
        assertEquals(0, stats("orders").active(), "the second order converted ann");
    }

    private List<String> usersOnEveryShard(int perShard) {
        List<String> users = new ArrayList<>();
        int[] found = new int[engine.shardCount()];
        for (int i = 0; users.size() < perShard * engine.shardCount(); i++) {
            String user = "user-" + i;
            int shard = engine.shardOf(user);
            if (found[shard] < perShard) {
                found[shard]++;
                users.add(user);
            }
        }
        return users;
    }

    private CampaignStats stats(String campaign) {
        return store.stats(campaign).join();
    }

    private long storedEvents(String user) {
        return StoreQueries.storedEvents(store, user);
    }

    private static Campaign live(String id, String conversionEvent) {
        return new Campaign(id, id, CampaignType.MULTI_TOUCH, conversionEvent, null, CampaignStatus.LIVE, T0, T0, null);
    }

    private static UserEvent event(String id, String userId, String name, Map<String, Object> properties) {
        return new UserEvent(id, userId, name, T0 + 1, null, new java.util.HashMap<>(properties), 0);
    }

}
