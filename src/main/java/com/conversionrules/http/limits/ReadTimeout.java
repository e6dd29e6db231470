package com.conversionrules.http.limits;

import com.conversionrules.http.Problems;
import com.conversionrules.model.Rejection;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A request must arrive whole within {@code HTTP_READ_TIMEOUT} of its first byte: a client that
 * dribbles its headers or its body gets a 408 and its connection closed, instead of holding a
 * connection (and the memory its body reserved) for as long as it keeps sending a byte now and then.
 * The time the service then takes to answer is not counted, nor the wait between the requests of a
 * kept-alive connection. A client refused before its body (401, 413, 503) that goes on sending it is
 * closed at the same limit.
 *
 * <p>Vert.x hands over a request only once its headers are complete, so a handler at the head of each
 * connection's Netty pipeline notes when the bytes of a new request begin.
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
        // Vert.x 5's HTTP/1.1 connections are its ConnectionBase, which exposes the Netty channel (no public API
        // does); should that change, SlowClientsTest's header-dribbler fails.
        if (connection instanceof ConnectionBase base) {
            base.channel().pipeline().addFirst(FirstBytes.NAME, new FirstBytes(reads));
        }
        reads.checkIn(millis);
        return () -> {
            connections.remove(connection);
            vertx.cancelTimer(reads.timer);
        };
    }

    @Override
    public void handle(RoutingContext ctx) {
        Runnable answered = begin(ctx.request(), timedOut -> {
            // Vert.x closes a "connection: close" answer only once the request has ended, which a client
            // that dribbles its body may never do: close it here, or it would hold on until HTTP_IDLE_TIMEOUT.
            ctx.addEndHandler(sent -> ctx.request().connection().close());
            ctx.fail(timedOut);
        });
        if (answered != null) {
            ctx.addEndHandler(ended -> answered.run());
        }
        ctx.next();
    }

    /**
     * Times a request's arrival from its first byte, for a route that answers without the router:
     * {@code cutOff} answers the 408 and closes the connection if its body is still coming at the
     * limit. Run what it returns once the request is answered or its connection closed (null when
     * there is nothing to watch: the connection is not watched, or the request came whole).
     */
    public Runnable begin(HttpServerRequest request, Consumer<Rejection> cutOff) {
        Reads reads = connections.get(request.connection());
        if (reads == null) {
            return null;
        }
        // Timed from its first byte; from now when the connection's handler did not see it begin (it came
        // in the same read as the end of the request before).
        long began = reads.headersSince != 0 ? reads.headersSince : System.nanoTime();
        reads.headersSince = 0;
        reads.answering = request.response();
        if (request.isEnded()) {
            return null;
        }
        Reading reading = new Reading(request, cutOff);
        reads.reading = reading;
        reads.since = began;
        // Let the request go once answered and read, so an idle connection holds no body. One answered
        // before its body came (a 401, 413 or 503 refuses it unread) stays watched until the body ends.
        return () -> {
            if (reads.reading == reading && request.isEnded()) {
                reads.reading = null;
            }
        };
    }

    /** A request whose body is being read, and how to answer it when it does not arrive in time. */
    private record Reading(HttpServerRequest request, Consumer<Rejection> cutOff) {
    }

    private String problem() {
        return "the request did not arrive in full within "
                + Duration.ofMillis(millis).toString().substring(2).toLowerCase() + " (" + setting
                + "); send the whole request without pausing";
    }

    /** One connection's request being read, and the timer that checks on it. */
    private final class Reads {
        private final HttpConnection connection;
        /** The request whose body is being read, since {@link #since}. */
        private Reading reading;
        private long since;
        /** When the first bytes of a request whose headers are not complete yet came; 0 when none. */
        private long headersSince;
        /** The answer to the connection's latest request (not its body): a request sent behind it waits for it. */
        private HttpServerResponse answering;
        /** The pipeline where {@link FirstBytes} sits, first: bytes written there skip the HTTP encoder. */
        private ChannelHandlerContext head;
        private long timer;

        Reads(HttpConnection connection) {
            this.connection = connection;
        }

        void checkIn(long delayMillis) {
            timer = vertx.setTimer(delayMillis, fired -> check());
        }

        /** Bytes came in: the start of a new request if none is being read. */
        void bytesArrived() {
            if (reading != null && reading.request().isEnded()) {
                reading = null;
            }
            if (reading == null && headersSince == 0) {
                headersSince = System.nanoTime();
            }
        }

        private void check() {
            Reading late = reading;
            if (late == null || late.request().isEnded()) {
                reading = null; // arrived whole: nothing to watch until the connection's next request
                checkHeaders();
                return;
            }
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            if (waited < millis) {
                checkIn(millis - waited);
                return;
            }
            reading = null;
            checkIn(millis);
            if (late.request().response().ended()) {
                // Refused before its body, which still has not ended: the client dribbles on after its answer.
                // Vert.x would keep the connection until HTTP_IDLE_TIMEOUT, waiting for the request to end.
                connection.close();
                return;
            }
            late.cutOff().accept(Rejection.timeout(problem()));
        }

        /** Headers still incomplete at the limit: there is no request to answer through, so the 408 goes as bytes. */
        private void checkHeaders() {
            long began = headersSince;
            long waited = began == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            if (began == 0 || waited < millis) {
                checkIn(millis - waited);
                return;
            }
            if (answering != null && !answering.ended()) {
                // A request sent behind one still being answered waits for the service, not for its client.
                headersSince = System.nanoTime();
                checkIn(millis);
                return;
            }
            headersSince = 0;
            checkIn(millis);
            head.writeAndFlush(Unpooled.wrappedBuffer(Problems.closingAnswer(408, problem())))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** First in a connection's pipeline: tells its {@link Reads} when bytes arrive, and writes around the HTTP encoder. */
    private static final class FirstBytes extends ChannelInboundHandlerAdapter {
        static final String NAME = "conversion-rules-first-bytes";
        private final Reads reads;

        FirstBytes(Reads reads) {
            this.reads = reads;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            reads.head = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.bytesArrived();
            ctx.fireChannelRead(msg);
        }
    }
}
