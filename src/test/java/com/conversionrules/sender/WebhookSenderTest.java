package com.conversionrules.sender;

import static com.conversionrules.sender.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.DeliveryResult;
import com.conversionrules.store.DeliveryState;
import com.conversionrules.store.Store;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender over a real store and a real HTTP receiver: exits handed over go out without reading
 * the store; what a previous run left undelivered goes out at start; a backlog larger than memory is
 * read back from the store and memory takes over again once it is caught up.
 */
class WebhookSenderTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private Store store;
    private CountingOutbox outbox;
    private WebhookSender sender;
    private int exits;

    @BeforeEach
    void openStore() throws Exception {
        store = new Store(dir);
        outbox = new CountingOutbox(store);
    }

    @AfterEach
    void closeAll() throws Exception {
        if (sender != null) {
            sender.close();
        }
        store.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private List<WebhookEndpoint> endpointAt(Receiver receiver) {
        return List.of(new WebhookEndpoint("a", URI.create(receiver.url()), SECRET));
    }

    /** Registers the endpoint as the service does at start, before any exit of the run is stored. */
    private List<WebhookEndpoint> register(Receiver receiver) {
        List<WebhookEndpoint> endpoints = endpointAt(receiver);
        WebhookSender.registerEndpoints(outbox, endpoints);
        return endpoints;
    }

    /** A sender with a short retry schedule and a long timeout: on a busy machine no attempt times out. */
    private void startSender(List<WebhookEndpoint> endpoints, int capacity) {
        sender = new WebhookSender(vertx, outbox, endpoints, Set.of(),
                new RetryPolicy(List.of(Duration.ofMillis(100)), Duration.ofHours(1), () -> 0.5), Duration.ofSeconds(60),
                Clock.systemUTC(), Metrics.inMemory(), capacity);
        sender.start();
    }

    /** Stores {@code count} exits as the engine does, and returns them; the sender is not told. */
    private List<Exit> commit(int count) {
        ChangeBatch batch = new ChangeBatch(T0);
        List<Exit> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = "u" + exits;
            Exit exit = new Exit(0, "exit-" + exits++, "c", user, ExitReason.REMOVED, null, null, 0, null, T0);
            batch.enrollment(new Enrollment("c", user, T0), false);
            batch.exit(exit);
            made.add(exit);
        }
        store.commit(batch, store.epoch()).join();
        return made;
    }

    private static List<String> ids(List<Exit> exits) {
        return exits.stream().map(Exit::id).toList();
    }

    private DeliveryState delivery(String exitId) {
        return store.exit(exitId).join().orElseThrow().deliveries().get(0);
    }

    @Test
    void anExitHandedOverIsDeliveredAndRecordedWithoutReadingTheStore() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            startSender(register(receiver), WebhookSender.CAPACITY_PER_ENDPOINT);
            await("the start's read of what the last run left", () -> sender.mode("a") == Lane.Mode.LIVE);
            int readsAtStart = outbox.reads();

            List<Exit> committed = commit(3);
            sender.handOver(committed);

            assertEquals(Set.copyOf(ids(committed)), Set.copyOf(receiver.next(3)));
            for (Exit exit : committed) {
                await("the result of " + exit.id() + " recorded", () -> delivery(exit.id()).deliveredAt() != null);
                assertEquals(1, delivery(exit.id()).attempts());
            }
            assertEquals(readsAtStart, outbox.reads(), "no store read for exits handed over");
            assertEquals(Lane.Mode.LIVE, sender.mode("a"));
        }
    }

    @Test
    void whatTheLastRunLeftUndeliveredGoesOutAtStartNeverTriedAndDueRetriesAlike() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            List<WebhookEndpoint> endpoints = register(receiver);
            List<Exit> neverTried = commit(2);
            Exit retry = commit(1).get(0);
            long past = System.currentTimeMillis() - 1_000;
            store.record(List.of(new DeliveryResult(retry.id(), "a", false, false, 503, "HTTP 503", past - 5_000, past,
                    false))).join();
            Exit delivered = commit(1).get(0);
            store.record(List.of(new DeliveryResult(delivered.id(), "a", true, false, 204, null, past, 0, false))).join();

            startSender(endpoints, WebhookSender.CAPACITY_PER_ENDPOINT);

            Set<String> expected = new HashSet<>(ids(neverTried));
            expected.add(retry.id());
            assertEquals(expected, Set.copyOf(receiver.next(3)));
            await("every result recorded", () -> expected.stream().allMatch(id -> delivery(id).deliveredAt() != null));
            assertEquals(2, delivery(retry.id()).attempts(), "the retry counts its earlier attempt");
            assertNull(receiver.within(300), "what was delivered before is not sent again");
        }
    }

    @Test
    void aBacklogBeyondMemoryIsReadBackFromTheStoreThenMemoryTakesOverAgain() throws Exception {
        int capacity = 8;
        try (Receiver receiver = Receiver.holding()) {
            startSender(register(receiver), capacity);
            await("the start's read", () -> sender.mode("a") == Lane.Mode.LIVE);

            // The receiver holds its answers: the first exits fill memory, the rest are in the store only.
            List<String> sent = new ArrayList<>();
            for (int batch = 0; batch < 10; batch++) {
                List<Exit> committed = commit(5);
                sent.addAll(ids(committed));
                sender.handOver(committed);
            }
            assertEquals(capacity, receiver.next(capacity).size());
            await("the lane falls behind", () -> sender.mode("a") == Lane.Mode.BEHIND);
            int readsBehind = outbox.reads();

            receiver.open();
            receiver.next(sent.size() - capacity);
            await("every result recorded", () -> sent.stream().allMatch(id -> delivery(id).deliveredAt() != null));
            sent.forEach(id -> assertEquals(1, receiver.times(id), "exit " + id + " was sent once"));
            assertTrue(outbox.reads() > readsBehind, "the rest was read back from the store");

            await("caught up", () -> sender.mode("a") == Lane.Mode.LIVE);
            await("the last read came back", () -> outbox.readsDone() == outbox.reads());
            int readsCaughtUp = outbox.reads();
            List<Exit> after = commit(1);
            sender.handOver(after);
            assertEquals(ids(after), receiver.next(1));
            await("recorded", () -> delivery(after.get(0).id()).deliveredAt() != null);
            assertEquals(readsCaughtUp, outbox.reads(), "memory took over again");
        }
    }

    @Test
    void exitsHandedOverBeforeStartAreFoundInTheStore() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            List<WebhookEndpoint> endpoints = register(receiver);
            sender = new WebhookSender(vertx, outbox, endpoints, Set.of(),
                    new RetryPolicy(List.of(Duration.ofMillis(100)), Duration.ofHours(1), () -> 0.5),
                    Duration.ofSeconds(10), Clock.systemUTC(), Metrics.inMemory(), 100);
            List<Exit> early = commit(4);
            sender.handOver(early);
            sender.start();
            assertEquals(Set.copyOf(ids(early)), Set.copyOf(receiver.next(4)));
            assertNull(receiver.within(300), "each once");
        }
    }

    @Test
    void aFailedDeliveryIsRetriedFromTheStoreWhenItComesDue() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            receiver.answer(500);
            startSender(register(receiver), WebhookSender.CAPACITY_PER_ENDPOINT);
            await("the start's read", () -> sender.mode("a") == Lane.Mode.LIVE);
            int readsAtStart = outbox.reads();
            List<Exit> committed = commit(1);
            sender.handOver(committed);
            String id = committed.get(0).id();
            assertEquals(List.of(id), receiver.next(1));
            receiver.answer(204);
            assertEquals(List.of(id), receiver.next(1), "retried after the schedule's 100 ms");
            await("recorded", () -> delivery(id).deliveredAt() != null);
            assertEquals(2, delivery(id).attempts());
            assertTrue(outbox.reads() > readsAtStart, "the retry was read back when due");
            assertTrue(outbox.requests.stream().skip(readsAtStart).allMatch(read -> read.get("a").freshAfter() == null),
                    "only retries were read: " + outbox.requests);
        }
    }

    @Test
    void drainLetsDeliveriesInFlightFinishAndRecordsThem() throws Exception {
        try (Receiver receiver = Receiver.holding()) {
            startSender(register(receiver), WebhookSender.CAPACITY_PER_ENDPOINT);
            await("the start's read", () -> sender.mode("a") == Lane.Mode.LIVE);
            List<Exit> committed = commit(2);
            sender.handOver(committed);
            receiver.next(2);
            vertx.setTimer(200, id -> receiver.open());
            sender.drain(Duration.ofSeconds(20));
            for (Exit exit : committed) {
                assertEquals(1, delivery(exit.id()).attempts(), "recorded before the drain returned");
                assertTrue(delivery(exit.id()).deliveredAt() != null);
            }
        }
    }
}
