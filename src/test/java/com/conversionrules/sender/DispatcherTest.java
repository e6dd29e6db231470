package com.conversionrules.sender;

import static com.conversionrules.sender.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.WebhookEndpoint;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.store.DeliveryResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the dispatcher makes of exits handed over and of each answer: sent from a live lane's queue,
 * recorded; a lane without room falls behind; a failure comes due in its lane, or is given up past the
 * horizon; a 410 disables the lane and lets its queue go.
 */
class DispatcherTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final ScriptedOutbox outbox = new ScriptedOutbox();
    private final AtomicInteger roomFreed = new AtomicInteger();
    private WebhookClient client;
    private DeliveryLedger ledger;
    private Lane lane;
    private Dispatcher dispatcher;

    @AfterEach
    void closeAll() throws Exception {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A dispatcher with one live lane to the receiver. */
    private void dispatch(Receiver receiver, int slots, int capacity, Duration giveUpAfter) throws Exception {
        ledger = new DeliveryLedger(slots);
        client = new WebhookClient(vertx, Duration.ofSeconds(10), slots, Clock.systemUTC(), Metrics.inMemory());
        lane = new Lane(new SignedEndpoint(new WebhookEndpoint("a", URI.create(receiver.url()), SECRET)), false, 10);
        dispatcher = new Dispatcher(context, Map.of("a", lane), ledger, client,
                new RetryPolicy(List.of(Duration.ofMillis(100)), giveUpAfter, () -> 0.5), Clock.systemUTC(), capacity,
                roomFreed::incrementAndGet);
        dispatcher.recordTo(new ResultRecorder(outbox, vertx, context, dispatcher::recorded));
        onContext(() -> {
            lane.freshReadStarted();
            lane.freshRead(0, true);
            lane.retriesReadStarted();
            return lane.mode();
        });
    }

    private <T> T onContext(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }

    private void handOver(List<Exit> exits) throws Exception {
        onContext(() -> {
            dispatcher.handOver(exits);
            return null;
        });
    }

    private static List<Exit> exits(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(i -> new Exit(0, "exit-" + i, "c", "u" + i, ExitReason.REMOVED, null, null, 0, null, 0))
                .toList();
    }

    @Test
    void exitsHandedOverToALiveLaneAreSentAndTheirResultsRecorded() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            dispatch(receiver, 64, 100, Duration.ofHours(1));
            handOver(exits(1, 3));
            assertEquals(Set.of("exit-1", "exit-2", "exit-3"), Set.copyOf(receiver.next(3)));
            await("three results recorded", () -> outbox.results.size() == 3);
            assertTrue(outbox.results.stream().allMatch(DeliveryResult::delivered), outbox.results.toString());
            await("memory let them go", () -> ledger.unsettled() == 0);
            assertEquals(Lane.Mode.LIVE, lane.mode());
        }
    }

    @Test
    void aLiveLaneWithoutRoomFallsBehindAndLeavesTheRestToTheStore() throws Exception {
        try (Receiver receiver = Receiver.holding()) {
            dispatch(receiver, 64, 2, Duration.ofHours(1));
            handOver(exits(1, 5));
            assertEquals(2, receiver.next(2).size());
            assertEquals(Lane.Mode.BEHIND, lane.mode());
            assertEquals(2, (int) onContext(() -> ledger.held("a")), "the other three were let go");
            assertNull(receiver.within(300));
        }
    }

    @Test
    void exitsLetGoBeforeTheyReachedTheSenderPutTheLaneBehindAndTellThePoller() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            dispatch(receiver, 64, 100, Duration.ofHours(1));
            int told = roomFreed.get();
            onContext(() -> {
                dispatcher.exitsLetGo();
                return null;
            });
            assertEquals(Lane.Mode.BEHIND, lane.mode());
            assertEquals(0, lane.freshCursor(), "read from the first delivery");
            assertTrue(roomFreed.get() > told, "the poller reads them back now, not at the next answer");
        }
    }

    @Test
    void aFailureComesDueInItsLaneOnceRecorded() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            receiver.answer(503);
            dispatch(receiver, 64, 100, Duration.ofHours(1));
            handOver(exits(1, 1));
            receiver.next(1);
            await("recorded", () -> outbox.results.size() == 1);
            DeliveryResult failed = outbox.results.get(0);
            assertFalse(failed.delivered() || failed.givingUp(), failed.toString());
            assertEquals(503, failed.status());
            await("the lane knows when", () -> {
                try {
                    return onContext(lane::retriesDueAt) == failed.nextAttemptAt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(roomFreed.get() > 0, "the poller was told");
        }
    }

    @Test
    void aFailurePastTheHorizonIsGivenUpAndNotScheduled() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            receiver.answer(500);
            dispatch(receiver, 64, 100, Duration.ofMillis(50));
            handOver(exits(1, 1));
            receiver.next(1);
            await("recorded", () -> outbox.results.size() == 1);
            assertTrue(outbox.results.get(0).givingUp(), outbox.results.toString());
            assertEquals(Long.MAX_VALUE, (long) onContext(lane::retriesDueAt));
        }
    }

    @Test
    void goneDisablesTheLaneLetsItsQueueGoAndSendsNothingMore() throws Exception {
        try (Receiver receiver = Receiver.answering()) {
            receiver.answer(410);
            dispatch(receiver, 1, 100, Duration.ofHours(1));
            handOver(exits(1, 3)); // one slot: exit-2 and exit-3 wait in the queue
            assertEquals(List.of("exit-1"), receiver.next(1));
            await("disabled", () -> lane.mode() == Lane.Mode.DISABLED);
            handOver(exits(4, 4));
            Exit readBack = exits(5, 5).get(0); // as a read under way when the 410 came may find it
            assertEquals(0, (int) onContext(() -> {
                dispatcher.queue(lane, Delivery.fresh(readBack, "a"));
                dispatcher.send(lane);
                return lane.queue().size();
            }));
            assertNull(receiver.within(300), "nothing more goes to a disabled endpoint");
            await("recorded", () -> outbox.results.size() == 1);
            assertTrue(outbox.results.get(0).gone());
            await("the queue was let go", () -> ledger.unsettled() == 0);
        }
    }
}
