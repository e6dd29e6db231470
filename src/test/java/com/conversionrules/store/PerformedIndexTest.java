package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.UserEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Performed-event queries: answered from their own index, fed from memory by each commit and from
 * the event log for what memory does not hold; a query waits for it so it sees every event
 * committed before it.
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

    /** Times before 1970 sort before later ones in the index's keys too. */
    @Test
    void timesBefore1970AreCountedInOrder() throws Exception {
        try (Store store = new Store(dir)) {
            keep(store, event("n1", "cy", "Placed Order", -5), event("n2", "cy", "Placed Order", 7));
            assertEquals(new Performed(2, 7L), store.performed("cy", "Placed Order", -10).join());
            assertEquals(new Performed(1, 7L), store.performed("cy", "Placed Order", 0).join());
            assertEquals(new Performed(0, null), store.performed("cy", "Placed Order", 8).join());
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

    /**
     * Once retention has emptied the log, a restart must not hand out the seqs of the dropped
     * events again: the index still holds them, and would count them for the new events.
     */
    @Test
    void afterRetentionEmptiedTheLogARestartCountsOnlyNewEvents() throws Exception {
        try (Store store = new Store(dir)) {
            keepReceivedAt(store, 1_000, event("old", "ann", "Placed Order", 900));
            assertEquals(1, store.performed("ann", "Placed Order", 0).join().count());
            assertEquals(1, store.dropEventsBefore(2_000).join());
            assertEquals(0, store.performed("ann", "Placed Order", 0).join().count());
        }
        try (Store store = new Store(dir)) {
            assertEquals(0, store.performed("ann", "Placed Order", 0).join().count());
            keep(store, event("new", "ann", "Placed Order", 4_900));
            assertEquals(new Performed(1, 4_900L), store.performed("ann", "Placed Order", 0).get(30, TimeUnit.SECONDS));
        }
    }

    /** Events handed over beyond what may wait in memory are read from the log instead. */
    @Test
    void eventsWithoutRoomInMemoryAreIndexedFromTheLog() throws Exception {
        List<EventSeqs.CommittedEvents> commits = new ArrayList<>();
        Database database = new Database(dir);
        EventSeqs seqs = new EventSeqs(0);
        try (Store store = new Store(database, Metrics.inMemory(), StoreWriter.CommitHook.NONE)) {
            for (int i = 0; i < 5; i++) {
                keep(store, event("o" + i, "ann", "Placed Order", 100 + i), event("v" + i, "bob", "Viewed", 100 + i));
                seqs.next(event("o" + i, "ann", "Placed Order", 100 + i));
                seqs.next(event("v" + i, "bob", "Viewed", 100 + i));
                commits.add(seqs.commit());
            }
        }
        deleteIndex();
        PerformedIndex index = new PerformedIndex(dir, database, Duration.ZERO, 4);
        try {
            commits.forEach(index::committed); // room for two commits of two events; three go to the log
            index.start(0, 1);
            index.caughtUp().get(30, TimeUnit.SECONDS);
            assertEquals(new Performed(5, 104L), index.performed("ann", "Placed Order", 0));
            assertEquals(new Performed(5, 104L), index.performed("bob", "Viewed", 0));
        } finally {
            index.close();
        }
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

    /** The index a version before this one kept in SQLite is derived data: deleted, and built again from the log. */
    @Test
    void theOldSqliteIndexFileIsReplaced() throws Exception {
        try (Store store = new Store(dir)) {
            keep(store, event("o1", "ann", "Placed Order", 100));
        }
        deleteIndex();
        Files.writeString(dir.resolve(PerformedIndex.OLD_FILE_NAME), "an index of the version before");
        try (Store store = new Store(dir)) {
            assertEquals(new Performed(1, 100L), store.performed("ann", "Placed Order", 0).join());
        }
        assertFalse(Files.exists(dir.resolve(PerformedIndex.OLD_FILE_NAME)));
    }

    /** An index that cannot open fails the queries that wait for it, and nothing else. */
    @Test
    void anIndexThatCannotOpenFailsPerformedQueriesOnly() throws Exception {
        Files.writeString(dir.resolve(PerformedFile.DIR_NAME), "a file where the index's folder should be");
        try (Store store = new Store(dir)) {
            keep(store, event("o1", "ann", "Placed Order", 100));
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> store.performed("ann", "Placed Order", 0).get(30, TimeUnit.SECONDS));
            assertInstanceOf(StoreUnavailableException.class, failed.getCause());
            assertEquals(1, StoreQueries.storedEvents(store, "ann"), "events are still stored");
        }
    }

    private void deleteIndex() throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir.resolve(PerformedFile.DIR_NAME))) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
