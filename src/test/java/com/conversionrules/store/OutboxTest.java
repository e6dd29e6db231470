package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender's side of the store: never-tried deliveries read after a cursor, retries read in the
 * order they come due after a position, results written by exit id and endpoint, and each read served
 * by an index of waiting deliveries only (their cost follows the backlog, not the history).
 */
class OutboxTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static Exit exit(String id) {
        return new Exit(0, id, "c", "u-" + id, ExitReason.REMOVED, null, null, 0, null, T0);
    }

    private static void storeExits(Store store, String... ids) {
        ChangeBatch batch = new ChangeBatch(T0);
        for (String id : ids) {
            batch.enrollment(new Enrollment("c", "u-" + id, T0), false);
            batch.exit(exit(id));
        }
        store.commit(batch, store.epoch()).join();
    }

    private static List<String> ids(List<DueDelivery> deliveries) {
        return deliveries.stream().map(delivery -> delivery.exit().id()).toList();
    }

    private static DeliveryResult failed(String exitId, long at, long nextAttemptAt) {
        return new DeliveryResult(exitId, "a", false, false, 503, "HTTP 503", at, nextAttemptAt, false);
    }

    @Test
    void neverTriedDeliveriesAreReadAfterACursorAndLeaveOnceTried() throws Exception {
        try (Store store = new Store(dir)) {
            store.configureEndpoints(List.of(new ConfiguredEndpoint("a", "http://127.0.0.1:1/a"))).join();
            storeExits(store, "x1", "x2", "x3");

            List<DueDelivery> first = store.due(Map.of("a", new DueRequest(2, null, 0L)), T0).join().get("a").fresh();
            assertEquals(List.of("x1", "x2"), ids(first));
            List<DueDelivery> rest = store.due(Map.of("a", new DueRequest(2, null, first.get(1).seq())), T0).join()
                    .get("a").fresh();
            assertEquals(List.of("x3"), ids(rest));

            store.record(List.of(new DeliveryResult("x1", "a", true, false, 204, null, T0, 0, false),
                    failed("x2", T0, T0 + 5_000))).join();
            assertEquals(List.of("x3"), ids(store.due(Map.of("a", new DueRequest(10, null, 0L)), T0).join().get("a").fresh()),
                    "delivered and failed deliveries are no longer never-tried");
        }
    }

    @Test
    void retriesAreReadAsTheyComeDueAfterAPositionWithTheNextOneToCome() throws Exception {
        try (Store store = new Store(dir)) {
            store.configureEndpoints(List.of(new ConfiguredEndpoint("a", "http://127.0.0.1:1/a"))).join();
            storeExits(store, "r1", "r2", "r3");
            store.record(List.of(failed("r1", T0, T0 + 1_000), failed("r2", T0, T0 + 2_000), failed("r3", T0, T0 + 9_000)))
                    .join();

            DueDeliveries early = store.due(Map.of("a", new DueRequest(10, DuePosition.START, null)), T0).join().get("a");
            assertTrue(early.retries().isEmpty() && early.fresh().isEmpty(), early.toString());
            assertEquals(T0 + 1_000, early.nextRetryAt());

            long now = T0 + 5_000;
            DueDeliveries due = store.due(Map.of("a", new DueRequest(1, DuePosition.START, null)), now).join().get("a");
            assertEquals(List.of("r1"), ids(due.retries()));
            assertEquals(1, due.retries().get(0).attempts());
            assertEquals(T0, due.retries().get(0).firstAttemptAt());
            assertEquals(T0 + 9_000, due.nextRetryAt(), "the next retry not due yet");
            DuePosition after = DuePosition.of(due.retries().get(0));
            assertEquals(List.of("r2"), ids(store.due(Map.of("a", new DueRequest(5, after, null)), now).join().get("a")
                    .retries()));
            assertNull(store.due(Map.of("a", new DueRequest(5, DuePosition.START, null)), T0 + 10_000).join().get("a")
                    .nextRetryAt(), "none left to come");
        }
    }

    @Test
    void configuringReturnsTheEndpointsA410DisabledAndNothingIsDueToThem() throws Exception {
        try (Store store = new Store(dir)) {
            List<ConfiguredEndpoint> endpoints = List.of(new ConfiguredEndpoint("a", "http://127.0.0.1:1/a"));
            assertEquals(Set.of(), store.configureEndpoints(endpoints).join());
            storeExits(store, "g1");
            store.record(List.of(new DeliveryResult("g1", "a", false, true, 410, "HTTP 410 Gone", T0, T0, false))).join();
            storeExits(store, "g2");

            assertEquals(Set.of("a"), store.configureEndpoints(endpoints).join());
            assertTrue(store.due(Map.of("a", new DueRequest(5, DuePosition.START, 0L)), T0 + 1).join().get("a").fresh()
                    .isEmpty());
            assertEquals(Set.of(), store.configureEndpoints(List.of(new ConfiguredEndpoint("a", "http://127.0.0.1:1/moved")))
                    .join(), "a new URL enables it again");
            assertEquals(List.of("g2"), ids(store.due(Map.of("a", new DueRequest(5, null, 0L)), T0 + 1).join().get("a")
                    .fresh()));
        }
    }

    @Test
    void theOutboxReadsSearchIndexesOfWaitingDeliveriesOnly() throws Exception {
        try (Connection connection = new Database(dir).open()) {
            assertTrue(QueryPlan.of(connection, DeliveryRecords.FRESH).stream().anyMatch(step -> step.startsWith(
                    "SEARCH d USING INDEX deliveries_waiting (endpoint=? AND attempts=? AND seq>?)")),
                    QueryPlan.of(connection, DeliveryRecords.FRESH).toString());
            List<String> retries = QueryPlan.of(connection, DeliveryRecords.RETRIES);
            assertTrue(retries.stream().anyMatch(step -> step.startsWith("SEARCH d USING INDEX deliveries_retry_due (endpoint=?")),
                    retries.toString());
            assertTrue(retries.stream().noneMatch(step -> step.contains("TEMP B-TREE")), "no sort: " + retries);
            List<String> next = QueryPlan.of(connection, DeliveryRecords.NEXT_RETRY);
            assertTrue(next.stream().anyMatch(step -> step.startsWith(
                    "SEARCH d USING INDEX deliveries_retry_due (endpoint=? AND next_attempt_at>?)")), next.toString());
            assertTrue(next.stream().noneMatch(step -> step.contains("TEMP B-TREE")), "no sort: " + next);
        }
    }
}
