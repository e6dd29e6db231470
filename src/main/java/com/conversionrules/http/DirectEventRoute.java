package com.conversionrules.http;

import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.http.auth.RequireKey;
import com.conversionrules.http.limits.BodyBudget;
import com.conversionrules.http.limits.ReadTimeout;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code POST /v1/events} without the router, for requests that ask nothing of its handlers but
 * what they would let through anyway: the service ready, a write key in the header, a JSON body of
 * a declared length within MAX_BODY_BYTES and the body memory budget. Anything else (no key, a
 * query, chunked or form bodies, {@code Expect}, the access log on) goes to the router untouched,
 * which answers it as before; nothing of such a request has been read when it is handed on.
 *
 * <p>Without the router's handlers (read timer, readiness, key, body budget, body handler) and its
 * routing context, the event loop spends some 3-8% less CPU on a single-event request (side by side
 * with the router's way, BENCHMARKS.md §2; the requests a second stayed within the machine's noise).
 * The same checks are made here, by the same classes, and answers and failures are the router's:
 * the same problems, meters and route label.
 */
final class DirectEventRoute {
    private final EventRoutes events;
    private final RequireKey writeKey;
    private final BodyBudget bodies;
    private final ReadTimeout readTimeout;
    private final BooleanSupplier ready;
    private final long maxBodyBytes;

    DirectEventRoute(EventRoutes events, RequireKey writeKey, BodyBudget bodies, ReadTimeout readTimeout,
                     BooleanSupplier ready, long maxBodyBytes) {
        this.events = events;
        this.writeKey = writeKey;
        this.bodies = bodies;
        this.readTimeout = readTimeout;
        this.ready = ready;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Serves the request if it can go without the router; false (and nothing read) when it cannot. */
    boolean handled(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST || !EventRoutes.PATH.equals(request.uri())) {
            return false;
        }
        MultiMap headers = request.headers();
        long length = BodyBudget.declaredLength(headers.get(HttpHeaders.CONTENT_LENGTH));
        if (length <= 0 || length > maxBodyBytes
                || headers.contains(HttpHeaders.TRANSFER_ENCODING) || headers.contains(HttpHeaders.EXPECT)
                || !isJson(headers.get(HttpHeaders.CONTENT_TYPE)) || !ready.getAsBoolean()
                || !writeKey.admits(headers.get(HttpHeaders.AUTHORIZATION))
                || !bodies.tryReserve(length)) {
            return false;
        }
        request.routed(EventRoutes.PATH);
        Answered answered = new Answered(length);
        answered.read = readTimeout.begin(request, late -> cutOff(request, late, answered));
        request.response().endHandler(ended -> answered.run()).closeHandler(closed -> answered.run());
        Context context = Vertx.currentContext();
        request.body().onComplete(body -> ingest(request, context, body));
        return true;
    }

    private void ingest(HttpServerRequest request, Context context, AsyncResult<Buffer> body) {
        if (body.failed()) {
            return; // the connection went, or the read timer answered
        }
        try {
            List<UserEvent> parsed = events.parse(Json.objectBody(body.result()));
            events.evaluate(parsed).whenComplete((outcome, failure) ->
                    context.runOnContext(onLoop -> answer(request, parsed, outcome, failure)));
        } catch (RuntimeException refused) {
            fail(request, refused);
        }
    }

    private void answer(HttpServerRequest request, List<UserEvent> parsed, EventsOutcome outcome,
                        Throwable failure) {
        if (failure != null) {
            fail(request, failure);
            return;
        }
        try {
            Json.send(request.response(), events.status(), events.answer(outcome, parsed));
        } catch (JsonProcessingException | RuntimeException e) {
            fail(request, e);
        }
    }

    private void fail(HttpServerRequest request, Throwable failure) {
        events.rejected();
        Problems.fail(request, failure);
    }

    /**
     * The 408 of a body that did not arrive in time, then the connection closed, as the router does it
     * (Vert.x would wait for the rest of the body before closing).
     */
    private void cutOff(HttpServerRequest request, Rejection late, Answered answered) {
        request.response().endHandler(sent -> {
            answered.run();
            request.connection().close();
        });
        fail(request, late);
    }

    /** {@code application/json}, with or without parameters, in any case. */
    private static boolean isJson(String contentType) {
        CharSequence type = contentType == null ? null : HttpUtil.getMimeType(contentType);
        return type != null && AsciiString.contentEqualsIgnoreCase(type, Json.CONTENT_TYPE);
    }

    /**
     * What a request holds until it is answered or its connection closes: its body's memory and its
     * place under the read timer. Given back once, however many of the response's ends report it.
     */
    private final class Answered implements Runnable {
        private final long bodyBytes;
        private Runnable read;
        private boolean done;

        Answered(long bodyBytes) {
            this.bodyBytes = bodyBytes;
        }

        @Override
        public void run() {
            if (done) {
                return;
            }
            done = true;
            bodies.release(bodyBytes);
            if (read != null) {
                read.run();
            }
        }
    }
}
