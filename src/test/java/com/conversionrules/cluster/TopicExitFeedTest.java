package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.ExitFeed;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.LogPosition;
import com.conversionrules.store.Store;
import com.conversionrules.store.StoredExit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances' read models hold the same exits of the topic's partitions, each stored in its own
 * interleaving of the partitions and one behind the other: a client that pages on one and goes on
 * on the other reads every exit once.
 */
class TopicExitFeedTest {
    private static final String TOPIC = "conversion-rules.exits";
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    /** An exit of partition p at an offset; offsets leave gaps, as transaction markers do. */
    private record Record(int partition, long offset) {
        String id() {
            return "exit-" + partition + "-" + offset;
        }
    }

    private static List<Record> partition(int partition, int exits) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < exits; i++) {
            records.add(new Record(partition, 3L * i + partition));
        }
        return records;
    }

    private static void feed(Store store, List<Record> records) {
        ChangeBatch batch = new ChangeBatch(0);
        for (Record record : records) {
            batch.exitMadeElsewhere(new Exit(0, record.id(), "spring", "user-" + record.offset(), ExitReason.CONVERTED,
                    "placed_order", null, 0, null, record.offset()), new LogPosition(record.partition(), record.offset()));
        }
        store.commit(batch, store.epoch()).join();
    }

    private static ExitFeed.Page page(ExitFeed feed, String after, int limit) {
        return feed.page(after, limit).join();
    }

    private static List<String> ids(ExitFeed.Page page) {
        return page.exits().stream().map(StoredExit::exit).map(Exit::id).toList();
    }

    @Test
    void pagingHalfOnOneInstanceAndGoingOnOnAnotherReadsEveryExitOnce() throws Exception {
        List<Record> p0 = partition(0, 20);
        List<Record> p1 = partition(1, 15);
        List<Record> p2 = partition(2, 25);
        try (Store a = new Store(dir.resolve("a")); Store b = new Store(dir.resolve("b"))) {
            // a read the partitions turn about; b read p2 whole first, then p0, and is behind on p1.
            List<Record> roundRobin = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                for (List<Record> partition : List.of(p0, p1, p2)) {
                    if (i < partition.size()) {
                        roundRobin.add(partition.get(i));
                    }
                }
            }
            feed(a, roundRobin);
            feed(b, p2);
            feed(b, p0);
            feed(b, p1.subList(0, 5));
            ExitFeed onA = new TopicExitFeed(a, TOPIC, PARTITIONS);
            ExitFeed onB = new TopicExitFeed(b, TOPIC, PARTITIONS);

            List<String> read = new ArrayList<>();
            String cursor = null;
            for (int i = 0; i < 3; i++) {
                ExitFeed.Page page = page(onA, cursor, 7);
                assertEquals(7, page.exits().size());
                read.addAll(ids(page));
                cursor = page.next();
            }
            ExitFeed.Page page;
            do {
                page = page(onB, cursor, 7);
                read.addAll(ids(page));
                cursor = page.next();
            } while (!page.exits().isEmpty());
            // b has not read the rest of p1 yet: the cursor waits there for it.
            feed(b, p1.subList(5, 15));
            do {
                page = page(onB, cursor, 7);
                read.addAll(ids(page));
                cursor = page.next();
            } while (!page.exits().isEmpty());

            List<String> every = new ArrayList<>(roundRobin.stream().map(Record::id).toList());
            assertEquals(every.size(), read.size(), "no exit twice: " + read);
            assertEquals(every.stream().sorted().toList(), read.stream().sorted().toList());
            assertEquals(cursor, page(onA, cursor, 7).next(), "a is at the end too");
            assertTrue(page(onA, cursor, 7).exits().isEmpty());
        }
    }

    @Test
    void aPageHoldsOfEachPartitionTheExitsRightAfterTheCursorInStoredOrder() throws Exception {
        try (Store store = new Store(dir)) {
            List<Record> p0 = partition(0, 4);
            List<Record> p2 = partition(2, 4);
            feed(store, p2.subList(0, 3));
            feed(store, p0);
            feed(store, p2.subList(3, 4));
            ExitFeed feed = new TopicExitFeed(store, TOPIC, PARTITIONS);
            ExitFeed.Page first = page(feed, null, 5);
            assertEquals(List.of("exit-2-2", "exit-2-5", "exit-2-8", "exit-0-0", "exit-0-3"), ids(first));
            ExitFeed.Page second = page(feed, first.next(), 5);
            assertEquals(List.of("exit-0-6", "exit-0-9", "exit-2-11"), ids(second));
            ExitFeed.Page none = page(feed, second.next(), 5);
            assertEquals(List.of(), ids(none));
            assertEquals(second.next(), none.next());
        }
    }

    /** Exits stored without a position (made by an embedded engine) are not on the topic's feed. */
    @Test
    void onlyExitsReadFromTheTopicAreOnItsFeed() throws Exception {
        try (Store store = new Store(dir)) {
            ChangeBatch batch = new ChangeBatch(0);
            batch.enrollment(new Enrollment("spring", "bob", 0), false);
            batch.exit(new Exit(0, "made-here", "spring", "bob", ExitReason.REMOVED, null, null, 0, null, 0));
            batch.exitMadeElsewhere(new Exit(0, "from-topic", "spring", "ann", ExitReason.REMOVED, null, null, 0, null,
                    0), new LogPosition(1, 0));
            store.commit(batch, store.epoch()).join();
            assertEquals(List.of("from-topic"), ids(page(new TopicExitFeed(store, TOPIC, PARTITIONS), null, 10)));
            assertEquals(List.of("made-here", "from-topic"), store.exitsAfter(0, 10).join().stream()
                    .map(StoredExit::exit).map(Exit::id).toList());
        }
    }
}
