package com.conversionrules.sender;

import com.conversionrules.store.DeliveryResult;
import com.conversionrules.store.Outbox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Writes delivery results to the store in batches: while one batch commits, the next one collects,
 * so results cost one store write per commit rather than one each, and the batch size follows the
 * load with no timer. Used on the sender's context thread only; the callback runs there too.
 */
final class ResultRecorder {
    /** One attempt's result as it is written (to the delivery's row): delivered, or failed and retried or given up. */
    record Result(long delivery, String exitId, String endpoint, Attempt attempt, long at, long nextAttemptAt, boolean givingUp) {
        DeliveryResult stored() {
            return new DeliveryResult(delivery, exitId, endpoint, attempt.delivered(), attempt.gone(), attempt.status(),
                    attempt.failure(), at, nextAttemptAt, givingUp);
        }
    }

    private final Outbox outbox;
    private final Context context;
    /** Called with each batch once written: the failure, or null when it is committed. */
    private final BiConsumer<List<Result>, Throwable> written;
    private List<Result> collecting = new ArrayList<>();
    private boolean writing;

    ResultRecorder(Outbox outbox, Context context, BiConsumer<List<Result>, Throwable> written) {
        this.outbox = outbox;
        this.context = context;
        this.written = written;
    }

    void add(Result result) {
        collecting.add(result);
        if (!writing) {
            writeCollected();
        }
    }

    private void writeCollected() {
        List<Result> batch = collecting;
        collecting = new ArrayList<>();
        writing = true;
        Future.fromCompletionStage(outbox.record(batch.stream().map(Result::stored).toList()), context)
                .onComplete(done -> {
            writing = false;
            written.accept(batch, done.cause());
            if (!collecting.isEmpty()) {
                writeCollected();
            }
        });
    }
}
