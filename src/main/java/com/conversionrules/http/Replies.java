package com.conversionrules.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Completes a response from work running off the event loop, back on the request's own context. */
public final class Replies {
    private Replies() {
    }

    public static <T> void json(RoutingContext ctx, CompletionStage<T> work, int status, Function<T, Object> body) {
        Future.fromCompletionStage(work, ctx.vertx().getOrCreateContext()).onComplete(result -> {
            if (result.failed()) {
                ctx.fail(result.cause());
                return;
            }
            try {
                Json.reply(ctx, status, body.apply(result.result()));
            } catch (RuntimeException e) {
                ctx.fail(e);
            }
        });
    }
}
