package com.conversionrules.http.limits;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes connections beyond {@code HTTP_MAX_CONNECTIONS} as they arrive, so clients that open
 * connections and leave them cannot take every file descriptor the process has.
 */
public final class ConnectionLimit implements Handler<HttpConnection> {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            connection.close();
            return;
        }
        connection.closeHandler(closed -> open.decrementAndGet());
    }

    public int open() {
        return open.get();
    }
}
