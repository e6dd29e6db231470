package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.store.Store;
import com.conversionrules.store.StoreQueries;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results arriving while a batch is being written wait for it and go out together in the next one. */
class ResultRecorderTest {
    @TempDir
    Path dataDir;

    private static ResultRecorder.Result delivered(long delivery) {
        return new ResultRecorder.Result(delivery, "exit-" + delivery, "default", Attempt.answered(204, null, 0), 0, 0,
                false);
    }


    @Test
    void resultsCollectedDuringAWriteAreWrittenTogetherNext() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (Store store = new Store(dataDir)) {
            Context context = vertx.getOrCreateContext();
            // Holds the store's writer, so the first batch cannot be committed before the others arrive.
            CountDownLatch writerHeld = new CountDownLatch(1);
            StoreQueries.holdWriter(store, writerHeld);
            List<List<Long>> written = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> allWritten = new CompletableFuture<>();
            context.runOnContext(ignored -> {
                ResultRecorder recorder = new ResultRecorder(store, context, (batch, failure) -> {
                    // Failing here would only stop this callback; the test thread reports it instead.
                    if (failure != null) {
                        allWritten.completeExceptionally(failure);
                        return;
                    }
                    written.add(batch.stream().map(ResultRecorder.Result::delivery).toList());
                    if (written.stream().mapToInt(List::size).sum() == 3) {
                        allWritten.complete(null);
                    }
                });
                recorder.add(delivered(1));
                recorder.add(delivered(2));
                recorder.add(delivered(3));
                writerHeld.countDown();
            });
            allWritten.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(List.of(1L), List.of(2L, 3L)), written);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
