package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.store.DueDeliveries;
import com.conversionrules.store.DueDelivery;
import com.conversionrules.store.DuePosition;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the sender reads the store, and what it asks for: everything at start, never-tried deliveries
 * by cursor while behind, retries only as they come due, and a failed read again after a pause.
 */
class OutboxPollerTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final Vertx vertx = Vertx.vertx();
    private final ScriptedOutbox outbox = new ScriptedOutbox();
    private WebhookSender sender;

    @AfterEach
    void closeAll() throws Exception {
        if (sender != null) {
            sender.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void start(Receiver receiver, int capacity) {
        sender = new WebhookSender(vertx, outbox, List.of(new WebhookEndpoint("a", URI.create(receiver.url()), SECRET)),
                Set.of(), new RetryPolicy(List.of(Duration.ofMillis(100)), Duration.ofHours(1), () -> 0.5),
                Duration.ofSeconds(10), Clock.systemUTC(), Metrics.inMemory(), capacity);
        sender.start();
    }

    private static DueDelivery fresh(long seq) {
        Exit exit = new Exit(0, "exit-" + seq, "c", "u" + seq, ExitReason.REMOVED, null, null, 0, null, 0);
        return new DueDelivery(exit, "a", 0, null, 0, seq);
    }

    /** An answer of never-tried deliveries with seq {@code from..to}. */
    private static Map<String, DueDeliveries> freshOnly(int from, int to) {
        return Map.of("a", new DueDeliveries(List.of(), IntStream.rangeClosed(from, to)
                .mapToObj(OutboxPollerTest::fresh).toList(), null));
    }

    @Test
    void atStartRetriesAndNeverTriedDeliveriesAreReadThenAShortReadLeavesTheStoreAlone() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            outbox.then(asked -> freshOnly(1, 2));
            start(receiver, 100);

            ScriptedOutbox.Read first = outbox.nextRead();
            assertEquals(DuePosition.START, first.of("a").retriesAfter());
            assertEquals(0L, first.of("a").freshAfter());
            assertEquals(100, first.of("a").limit(), "no more than memory takes");
            assertEquals(Set.of("exit-1", "exit-2"), Set.copyOf(receiver.next(2)));
            assertEquals(Lane.Mode.LIVE, sender.mode("a"));
            assertNull(outbox.readWithin(500), "nothing due and nothing behind: no read");
        }
    }

    @Test
    void whileBehindNeverTriedDeliveriesAreReadOnFromTheCursorAsRoomFrees() throws Exception {
        try (Receiver receiver = Receiver.holding()) {
            outbox.then(asked -> freshOnly(1, 4)).then(asked -> freshOnly(9, 10));
            start(receiver, 4);

            assertEquals(0L, outbox.nextRead().of("a").freshAfter());
            receiver.next(4);
            assertNull(outbox.readWithin(300), "memory is full: no read until answers free room");
            assertEquals(Lane.Mode.BEHIND, sender.mode("a"));

            receiver.open();
            ScriptedOutbox.Read second = outbox.nextRead();
            assertEquals(4L, second.of("a").freshAfter(), "on from the last one read");
            assertEquals(Set.of("exit-9", "exit-10"), Set.copyOf(receiver.next(2)));
        }
    }

    @Test
    void aLiveLanesRetriesAreReadOnlyWhenTheyComeDue() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            long dueIn = 400;
            outbox.then(asked -> Map.of("a", new DueDeliveries(List.of(), List.of(),
                    System.currentTimeMillis() + dueIn)));
            start(receiver, 100);
            ScriptedOutbox.Read first = outbox.nextRead();

            ScriptedOutbox.Read retries = outbox.nextRead();
            assertNotNull(retries.of("a").retriesAfter());
            assertNull(retries.of("a").freshAfter(), "a live lane's never-tried deliveries are in memory");
            assertTrue(retries.atNanos() - first.atNanos() >= TimeUnit.MILLISECONDS.toNanos(dueIn - 50),
                    "read when the retry came due, not before");
        }
    }

    @Test
    void aFailedReadIsTriedAgainAfterAPause() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            outbox.thenFail().then(asked -> freshOnly(1, 1));
            start(receiver, 100);
            ScriptedOutbox.Read failed = outbox.nextRead();
            ScriptedOutbox.Read again = outbox.nextRead();
            assertTrue(again.atNanos() - failed.atNanos() >= TimeUnit.MILLISECONDS.toNanos(900), "paused first");
            assertEquals(0L, again.of("a").freshAfter());
            assertEquals(List.of("exit-1"), receiver.next(1));
        }
    }
}
