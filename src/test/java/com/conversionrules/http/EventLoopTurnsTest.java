package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The end of an event loop's turn: after the handler that asked, on the same thread. */
class EventLoopTurnsTest {
    /** On the transport the service prefers (native epoll on Linux x86_64). */
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    private final EventLoopTurns turns = new EventLoopTurns();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void runsAfterTheCurrentHandlerOnItsThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> taken = new CompletableFuture<>();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        vertx.runOnContext(started -> {
            Thread loop = Thread.currentThread();
            taken.complete(turns.atEndOfTurn(() -> {
                seen.add(Thread.currentThread() == loop ? "end of turn, same thread" : "end of turn, another thread");
                ended.complete(null);
            }));
            seen.add("handler");
        });
        assertEquals(true, taken.get(10, TimeUnit.SECONDS));
        ended.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("handler", "end of turn, same thread"), seen);
    }

    @Test
    void aThreadOutsideTheEventLoopsHasNoTurns() {
        assertFalse(turns.atEndOfTurn(() -> { }));
    }
}
