package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.store.DeliveryResult;
import com.conversionrules.store.DueDeliveries;
import com.conversionrules.store.DueRequest;
import com.conversionrules.store.ConfiguredEndpoint;
import com.conversionrules.store.Outbox;
import com.conversionrules.store.Store;
import com.conversionrules.store.StoreQueries;
import com.conversionrules.store.StoreUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results arriving while a batch is being written wait for it and go out together in the next one;
 * a batch the store refuses is written again, with what collected meanwhile, and reported only then.
 */
class ResultRecorderTest {
    @TempDir
    Path dataDir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static ResultRecorder.Result delivered(int exit) {
        return new ResultRecorder.Result("exit-" + exit, "default", Attempt.answered(204, null, 0), 0, 0, false);
    }

    /** Collects what is reported written until {@code expected} results are, or a failure is reported. */
    private static Consumer<List<ResultRecorder.Result>> collect(List<List<String>> written, int expected,
                                                                 CompletableFuture<Void> allWritten) {
        return batch -> {
            written.add(batch.stream().map(ResultRecorder.Result::exitId).toList());
            if (written.stream().mapToInt(List::size).sum() == expected) {
                allWritten.complete(null);
            }
        };
    }

    @Test
    void resultsCollectedDuringAWriteAreWrittenTogetherNext() throws Exception {
        try (Store store = new Store(dataDir)) {
            Context context = vertx.getOrCreateContext();
            // Holds the store's writer, so the first batch cannot be committed before the others arrive.
            CountDownLatch writerHeld = new CountDownLatch(1);
            StoreQueries.holdWriter(store, writerHeld);
            List<List<String>> written = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> allWritten = new CompletableFuture<>();
            context.runOnContext(ignored -> {
                ResultRecorder recorder = new ResultRecorder(store, vertx, context, collect(written, 3, allWritten));
                recorder.add(delivered(1));
                recorder.add(delivered(2));
                recorder.add(delivered(3));
                writerHeld.countDown();
            });
            allWritten.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(List.of("exit-1"), List.of("exit-2", "exit-3")), written);
        }
    }

    @Test
    void aBatchTheStoreRefusesIsWrittenAgainWithWhatCollectedMeanwhile() throws Exception {
        RefusingFirstWrite outbox = new RefusingFirstWrite();
        Context context = vertx.getOrCreateContext();
        List<List<String>> written = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> allWritten = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            ResultRecorder recorder = new ResultRecorder(outbox, vertx, context, collect(written, 2, allWritten));
            recorder.add(delivered(1));
            recorder.add(delivered(2));
        });
        allWritten.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("exit-1", "exit-2")), written, "reported once, when committed");
        assertEquals(List.of(List.of("exit-1"), List.of("exit-1", "exit-2")), outbox.attempts);
    }

    /** An outbox whose first write fails the way a full disk fails it. */
    private static final class RefusingFirstWrite implements Outbox {
        final List<List<String>> attempts = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<Set<String>> configureEndpoints(List<ConfiguredEndpoint> endpoints) {
            return CompletableFuture.completedFuture(Set.of());
        }

        @Override
        public CompletableFuture<Map<String, DueDeliveries>> due(Map<String, DueRequest> requests, long now) {
            return CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public CompletableFuture<Void> record(List<DeliveryResult> results) {
            attempts.add(results.stream().map(DeliveryResult::exitId).toList());
            return attempts.size() == 1
                    ? CompletableFuture.failedFuture(new StoreUnavailableException(new IOException("disk full")))
                    : CompletableFuture.completedFuture(null);
        }
    }
}
