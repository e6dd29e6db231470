package com.conversionrules.http.limits;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes connections beyond {@code HTTP_MAX_CONNECTIONS} as they arrive, so clients that open
 * connections and leave them cannot take every file descriptor the process has; the ones it keeps,
 * it hands to the read timeout to watch.
 */
public final class ConnectionLimit implements Handler<HttpConnection> {
    private final int max;
    private final ReadTimeout reads;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimit(int max, ReadTimeout reads) {
        this.max = max;
        this.reads = reads;
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            connection.close();
            return;
        }
        Runnable unwatch = reads.watch(connection);
        connection.closeHandler(closed -> {
            open.decrementAndGet();
            unwatch.run();
        });
    }

    public int open() {
        return open.get();
    }
}
