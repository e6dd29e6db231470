package com.conversionrules.sender;

import com.conversionrules.store.DeliveryResult;
import com.conversionrules.store.Outbox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes delivery results to the store in batches: while one batch commits, the next one collects,
 * so results cost one store write per commit rather than one each, and the batch size follows the
 * load with no timer. A batch that fails to commit (a full disk) is written again a moment later with
 * what collected meanwhile: the attempts were made, so their results are kept rather than the
 * deliveries sent again. Used on the sender's context thread only; the callback runs there too.
 */
final class ResultRecorder {
    /** One attempt's result as it is written: delivered, or failed and retried or given up. */
    record Result(String exitId, String endpoint, Attempt attempt, long at, long nextAttemptAt, boolean givingUp) {
        DeliveryResult stored() {
            return new DeliveryResult(exitId, endpoint, attempt.delivered(), attempt.gone(), attempt.status(),
                    attempt.failure(), at, nextAttemptAt, givingUp);
        }
    }

    private enum State {
        /** Nothing being written: the next result is written at once. */
        IDLE,
        /** A batch is being committed; results collect for the next. */
        WRITING,
        /** A batch failed to commit; it is written again, with what collected, after a wait. */
        WAITING_TO_RETRY,
        /** Shut down: the store may be closing; what was not written is sent again at the next start. */
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ResultRecorder.class);
    static final long RETRY_MILLIS = 1_000;

    private final Outbox outbox;
    private final Vertx vertx;
    private final Context context;
    /** Called with each batch once committed. */
    private final Consumer<List<Result>> written;
    private List<Result> collecting = new ArrayList<>();
    private State state = State.IDLE;

    ResultRecorder(Outbox outbox, Vertx vertx, Context context, Consumer<List<Result>> written) {
        this.outbox = outbox;
        this.vertx = vertx;
        this.context = context;
        this.written = written;
    }

    void add(Result result) {
        collecting.add(result);
        if (state == State.IDLE) {
            writeCollected();
        }
    }

    private void writeCollected() {
        List<Result> batch = collecting;
        collecting = new ArrayList<>();
        state = State.WRITING;
        Future.fromCompletionStage(outbox.record(batch.stream().map(Result::stored).toList()), context)
                .onComplete(done -> {
            if (state == State.CLOSED) {
                return;
            }
            if (done.failed()) {
                LOG.warn("Recording {} delivery results failed; trying again in {} ms", batch.size(), RETRY_MILLIS,
                        done.cause());
                batch.addAll(collecting);
                collecting = batch;
                state = State.WAITING_TO_RETRY;
                vertx.setTimer(RETRY_MILLIS, id -> {
                    if (state == State.WAITING_TO_RETRY) {
                        writeCollected();
                    }
                });
                return;
            }
            state = State.IDLE;
            written.accept(batch);
            if (!collecting.isEmpty() && state == State.IDLE) {
                writeCollected();
            }
        });
    }

    /** Writes nothing more; a batch being committed still commits, but is not reported. */
    void close() {
        state = State.CLOSED;
    }
}
