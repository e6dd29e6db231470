package com.conversionrules.sender;

import com.conversionrules.store.DeliveryRecords;
import com.conversionrules.store.EndpointRecords;
import com.conversionrules.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.SQLException;
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
        void write(Connection connection, DeliveryRecords.Results results) throws SQLException {
            if (attempt.delivered()) {
                results.delivered(delivery, attempt.status(), at);
                return;
            }
            results.failed(delivery, attempt.status(), attempt.failure(), at, nextAttemptAt, givingUp);
            if (attempt.gone()) {
                EndpointRecords.disable(connection, endpoint, "answered 410 Gone to exit " + exitId, at);
            }
        }
    }

    private final Store store;
    private final Context context;
    /** Called with each batch once written: the failure, or null when it is committed. */
    private final BiConsumer<List<Result>, Throwable> written;
    private List<Result> collecting = new ArrayList<>();
    private boolean writing;

    ResultRecorder(Store store, Context context, BiConsumer<List<Result>, Throwable> written) {
        this.store = store;
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
        Future.fromCompletionStage(store.write(connection -> {
            try (DeliveryRecords.Results results = DeliveryRecords.results(connection)) {
                for (Result result : batch) {
                    result.write(connection, results);
                }
            }
        }), context).onComplete(done -> {
            writing = false;
            written.accept(batch, done.cause());
            if (!collecting.isEmpty()) {
                writeCollected();
            }
        });
    }
}
