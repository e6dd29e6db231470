package com.conversionrules.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request when {@code ACCESS_LOG=true}: client address, method, path with query, status,
 * bytes sent and milliseconds, written when the answer is sent. Off by default: at tens of thousands
 * of requests a second a line each costs more than the requests. Never logs a header or a body.
 */
final class AccessLog implements Handler<RoutingContext> {
    static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);

    @Override
    public void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(ended -> {
            HttpServerRequest request = ctx.request();
            LOG.info("{} \"{} {}\" {} {} bytes {} ms", request.remoteAddress() == null ? "-" : request.remoteAddress().host(),
                    request.method(), request.uri(), ctx.response().getStatusCode(), ctx.response().bytesWritten(),
                    (System.nanoTime() - started) / 1_000_000);
        });
        ctx.next();
    }
}
