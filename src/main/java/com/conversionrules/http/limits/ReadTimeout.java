package com.conversionrules.http.limits;

import com.conversionrules.model.Rejection;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A request must arrive whole within {@code HTTP_READ_TIMEOUT} of its headers: a client that
 * dribbles its body gets a 408 and its connection closed, instead of holding a connection and the
 * memory its body reserved. The time the service then takes to answer is not counted. A client
 * refused before its body (401, 413, 503) that goes on sending it is closed at the same limit.
 *
 * <p>One timer per connection, not per request: a connection reads one request at a time, so it
 * notes which one and since when, and its timer looks when due. Setting and cancelling a timer for
 * every request took about 4% of the event loop's time on single-event ingestion (BENCHMARKS.md §2).
 */
public final class ReadTimeout implements Handler<RoutingContext> {
    private final Vertx vertx;
    private final long millis;
    private final String setting;
    private final Map<HttpConnection, Reads> connections = new ConcurrentHashMap<>();

    public ReadTimeout(Vertx vertx, Duration timeout, String setting) {
        this.vertx = vertx;
        this.millis = Math.max(1, timeout.toMillis());
        this.setting = setting;
    }

    /**
     * Watches a connection from its opening, on its event loop (its timer runs there too, like its
     * requests). Returns what to run when it closes.
     */
    public Runnable watch(HttpConnection connection) {
        Reads reads = new Reads(connection);
        connections.put(connection, reads);
        reads.checkIn(millis);
        return () -> {
            connections.remove(connection);
            vertx.cancelTimer(reads.timer);
        };
    }

    @Override
    public void handle(RoutingContext ctx) {
        Reads reads;
        if (!ctx.request().isEnded() && (reads = connections.get(ctx.request().connection())) != null) {
            reads.reading = ctx;
            reads.since = System.nanoTime();
            // Let the request go once answered and read, so an idle connection holds no body. One answered
            // before its body came (a 401, 413 or 503 refuses it unread) stays watched until the body ends.
            ctx.addEndHandler(ended -> {
                if (reads.reading == ctx && ctx.request().isEnded()) {
                    reads.reading = null;
                }
            });
        }
        ctx.next();
    }

    private String problem() {
        return "the request did not arrive in full within "
                + Duration.ofMillis(millis).toString().substring(2).toLowerCase() + " (" + setting
                + "); send the body without pausing";
    }

    /** One connection's request being read, and the timer that checks on it. */
    private final class Reads {
        private final HttpConnection connection;
        private RoutingContext reading;
        private long since;
        private long timer;

        Reads(HttpConnection connection) {
            this.connection = connection;
        }

        void checkIn(long delayMillis) {
            timer = vertx.setTimer(delayMillis, fired -> check());
        }

        private void check() {
            RoutingContext ctx = reading;
            if (ctx == null || ctx.request().isEnded()) {
                reading = null; // arrived whole: nothing to watch until the connection's next request
                checkIn(millis);
                return;
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            if (waited < millis) {
                checkIn(millis - waited);
                return;
            }
            reading = null;
            checkIn(millis);
            if (ctx.response().ended()) {
                // Refused before its body, which still has not ended: the client dribbles on after its answer.
                // Vert.x would keep the connection until HTTP_IDLE_TIMEOUT, waiting for the request to end.
                connection.close();
                return;
            }
            // Vert.x closes a "connection: close" answer only once the request has ended, which a client
            // that dribbles its body may never do: close it here, or it would hold on until HTTP_IDLE_TIMEOUT.
            ctx.addEndHandler(answered -> connection.close());
            ctx.fail(Rejection.timeout(problem()));
        }
    }
}
