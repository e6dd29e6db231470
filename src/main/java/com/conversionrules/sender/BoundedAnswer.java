package com.conversionrules.sender;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads a receiver's answer body without keeping it, up to a limit: a receiver that answers with a
 * huge body (or never stops) gets its connection reset once the limit is passed, instead of the
 * sender reading or holding it. The status was known before the body, so the attempt still counts.
 */
final class BoundedAnswer {
    private BoundedAnswer() {
    }

    static Future<Void> read(HttpClientResponse response, long limit) {
        Promise<Void> done = Promise.promise();
        long[] read = {0};
        response.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > limit && done.tryComplete()) {
                response.request().reset();
            }
        });
        response.exceptionHandler(failure -> done.tryFail(failure));
        response.endHandler(ended -> done.tryComplete());
        return done.future();
    }
}
