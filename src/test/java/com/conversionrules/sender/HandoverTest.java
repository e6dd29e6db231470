package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exits cross from the engine's threads to the sender's context in order, up to a bound past which the sender is told. */
class HandoverTest {
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final List<String> taken = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger letGo = new AtomicInteger();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static List<Exit> exits(String... ids) {
        return java.util.Arrays.stream(ids)
                .map(id -> new Exit(0, id, "c", "u", ExitReason.REMOVED, null, null, 0, null, 0)).toList();
    }

    private Handover handover(int limit) {
        return new Handover(context, limit, exits -> {
            exits.forEach(exit -> taken.add(exit.id()));
            events.add("take " + exits.size());
        }, () -> {
            letGo.incrementAndGet();
            events.add("let go");
        });
    }

    /** Keeps the context busy until the latch opens, as the sender's context is while it sends. */
    private CountDownLatch keepContextBusy() {
        CountDownLatch busy = new CountDownLatch(1);
        context.runOnContext(ignored -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return busy;
    }

    /** Runs on the context after everything queued there before it. */
    private void settle() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> done.complete(null));
        done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void exitsOfferedWhileTheContextIsBusyAreTakenTogetherInOrder() throws Exception {
        Handover handover = handover(100);
        CountDownLatch busy = keepContextBusy();
        handover.offer(exits("a", "b"));
        handover.offer(exits("c"));
        assertEquals(3, handover.pending());
        busy.countDown();
        settle();
        assertEquals(List.of("a", "b", "c"), taken);
        assertEquals(List.of("take 2", "take 1"), events, "one drain for both");
        assertEquals(0, handover.pending());
        assertEquals(0, letGo.get());
    }

    @Test
    void pastItsBoundExitsAreLetGoAndTheSenderToldBeforeWhatCameAfter() throws Exception {
        Handover handover = handover(3);
        CountDownLatch busy = keepContextBusy();
        handover.offer(exits("a", "b"));
        handover.offer(exits("c", "d"));
        handover.offer(exits("e"));
        busy.countDown();
        settle();
        assertEquals(List.of("a", "b", "e"), taken, "c and d did not fit: they are in the store only");
        assertEquals(List.of("let go", "take 2", "take 1"), events);
        assertEquals(1, letGo.get());
    }
}
