package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.model.UserEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Performed-event queries: answered from their own index, which a query waits for so it sees every
 * event committed before it, and which is rebuilt from the event log when its file is lost.
 */
class PerformedIndexTest {
    @TempDir
    Path dir;

    private static void keep(Store store, UserEvent... events) {
        keepReceivedAt(store, System.currentTimeMillis(), events);
    }

    private static void keepReceivedAt(Store store, long receivedAt, UserEvent... events) {
        ChangeBatch batch = new ChangeBatch(receivedAt);
        for (UserEvent event : events) {
            batch.event(event);
        }
        store.commit(batch, store.epoch()).join();
    }

    private static UserEvent event(String id, String user, String name, long time) {
        return new UserEvent(id, user, name, time, null, Map.of(), 0);
    }

    @Test
    void aQueryRightAfterACommitSeesItsEventsAndOnlyTheUsersOwnOfThatName() throws Exception {
        try (Store store = new Store(dir)) {
            keep(store, event("o1", "ann", "Placed Order", 100), event("o2", "ann", "Placed Order", 300),
                    event("v1", "ann", "Viewed Product", 400), event("o3", "bob", "Placed Order", 500));
            assertEquals(new Performed(2, 300L), store.performed("ann", "Placed Order", 0).join());
            assertEquals(new Performed(1, 300L), store.performed("ann", "Placed Order", 200).join());
            assertEquals(new Performed(0, null), store.performed("ann", "Placed Order", 301).join());
            assertEquals(new Performed(1, 500L), store.performed("bob", "Placed Order", 0).join());
        }
    }

    @Test
    void eventsOlderThanTheRetentionLeaveTheLogTheQueriesAndTheDedupeKeys() throws Exception {
        try (Store store = new Store(dir)) {
            keepReceivedAt(store, 1_000, event("old", "ann", "Placed Order", 900));
            keepReceivedAt(store, 5_000, event("new", "ann", "Placed Order", 4_900));
            assertEquals(2, store.performed("ann", "Placed Order", 0).join().count());

            assertEquals(1, store.dropEventsBefore(2_000).join());

            assertEquals(new Performed(1, 4_900L), store.performed("ann", "Placed Order", 0).join());
            List<Long> keys = new ArrayList<>();
            store.recentEventKeys(0, (key, userHash, receivedAt) -> keys.add(key)).join();
            assertEquals(List.of(EventKey.of("ann", "new")), keys);
        }
    }

    /** Events gather for a bigger sorted chunk only while no query waits: a query has them indexed at once. */
    @Test
    void aWaitingQueryHasTheEventsIndexedWithoutWaitingForTheChunkToFill() throws Exception {
        try (Store store = new Store(dir)) {
            keep(store, event("o1", "ann", "Placed Order", 100), event("o2", "ann", "Placed Order", 200));
        }
        deleteIndex();
        Database database = new Database(dir);
        long last;
        try (java.sql.Connection connection = database.open()) {
            last = EventRecords.lastSeq(connection);
        }
        PerformedIndex index = new PerformedIndex(dir, database, last, TimeUnit.HOURS.toNanos(1));
        try {
            index.open();
            index.start();
            // Two events are far from a chunk and the gathering lasts an hour: only the query's wait indexes them.
            index.caughtUp().get(30, TimeUnit.SECONDS);
        } finally {
            index.close();
        }
        try (Store store = new Store(dir)) {
            assertEquals(new Performed(2, 200L), store.performed("ann", "Placed Order", 0).join());
        }
    }

    private void deleteIndex() throws java.io.IOException {
        Files.delete(dir.resolve(PerformedIndex.FILE_NAME));
        Files.deleteIfExists(dir.resolve(PerformedIndex.FILE_NAME + "-wal"));
        Files.deleteIfExists(dir.resolve(PerformedIndex.FILE_NAME + "-shm"));
    }

    @Test
    void aLostIndexIsRebuiltFromTheEventLog() throws Exception {
        try (Store store = new Store(dir)) {
            keep(store, event("o1", "ann", "Placed Order", 100));
            assertEquals(1, store.performed("ann", "Placed Order", 0).join().count());
        }
        deleteIndex();
        try (Store store = new Store(dir)) {
            keep(store, event("o2", "ann", "Placed Order", 200));
            assertEquals(new Performed(2, 200L), store.performed("ann", "Placed Order", 0).join());
        }
    }
}
