package com.conversionrules.http;

import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.engine.PartlyApplied;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.StoreUnavailableException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error answer, built in one place as RFC 9457 {@code application/problem+json}. */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    /** The router's failure handler: whatever failed, the caller gets a problem, never a stack trace. */
    public static void handleFailure(RoutingContext ctx) {
        Throwable failure = unwrap(ctx.failure());
        if (failure instanceof BulkRefusedPartway partway) {
            Answer answer = answer(ctx.request(), ctx.statusCode(), unwrap(partway.getCause()));
            reply(ctx, answer.status(), answer.detail() + "; " + partway.detail(), partway.members());
            return;
        }
        fail(ctx.request(), ctx.statusCode(), failure);
    }

    /** The failure handler's answer for a request served without the router ({@link DirectEventRoute}). */
    static void fail(HttpServerRequest request, Throwable failure) {
        fail(request, -1, unwrap(failure));
    }

    private static void fail(HttpServerRequest request, int statusCode, Throwable failure) {
        if (failure instanceof PartlyApplied partly) {
            LOG.warn("Part of {} {} was not applied: {}", request.method(), request.path(),
                    partly.getCause().getMessage());
            ObjectNode applied = partly.applied() instanceof EventsOutcome events ? Views.eventsOutcome(events)
                    : Json.MAPPER.valueToTree(partly.applied());
            reply(request, 503, "part of this request was applied and part was not, because the service could not "
                    + "save it (" + partly.getCause().getMessage() + "). What was applied is under 'applied'. "
                    + "Send the whole request again later: what was applied then counts as duplicates or "
                    + "already active", Json.MAPPER.createObjectNode().set("applied", applied));
            return;
        }
        Answer answer = answer(request, statusCode, failure);
        reply(request, answer.status(), answer.detail(), null);
    }

    /** A status and what to tell the caller. */
    private record Answer(int status, String detail) {
    }

    /** {@code statusCode}: what the router was told to answer without a failure (-1 when nothing). */
    private static Answer answer(HttpServerRequest request, int statusCode, Throwable failure) {
        if (failure instanceof Rejection rejection) {
            return new Answer(status(rejection.kind()), rejection.getMessage());
        } else if (failure instanceof StoreUnavailableException && request.method() == HttpMethod.GET) {
            return new Answer(503, "the service could not read its store (an I/O error, or the performed-event index "
                    + "stopped: see the log); retry later");
        } else if (failure instanceof StoreUnavailableException) {
            // The writer logs the failure once; one line per refused request would flood the log.
            return new Answer(503, "the service could not save the change (its store cannot write: a full disk or "
                    + "an I/O error, see GET /health/ready); nothing of this request was applied, retry later");
        } else if (failure == null && statusCode == 413) {
            return new Answer(413, "the request body is larger than the limit of this service (MAX_BODY_BYTES); "
                    + "send fewer items per request");
        } else if (failure == null && statusCode > 0 && statusCode < 500) {
            return new Answer(statusCode, HttpResponseStatus.valueOf(statusCode).reasonPhrase());
        }
        LOG.error("Unexpected failure serving {} {}", request.method(), request.path(), failure);
        return new Answer(500, "the service failed unexpectedly; nothing acknowledged was lost, retry the request");
    }

    public static void notFound(RoutingContext ctx) {
        reply(ctx, 404, "no resource at " + ctx.request().method() + " " + ctx.request().path()
                + "; see the API list in the README");
    }

    /** 405 with the {@code Allow} header RFC 9110 asks for, and the methods to use in words. */
    static void methodNotAllowed(RoutingContext ctx, Set<String> allowed) {
        ctx.response().putHeader("allow", String.join(", ", allowed));
        reply(ctx, 405, ctx.request().method() + " is not supported on " + ctx.request().path()
                + (allowed.isEmpty() ? "" : "; use " + String.join(" or ", allowed)));
    }

    public static void reply(RoutingContext ctx, int status, String detail) {
        reply(ctx, status, detail, null);
    }

    /** A problem with extension members beside the standard ones (null for none). */
    static void reply(RoutingContext ctx, int status, String detail, ObjectNode members) {
        reply(ctx.request(), status, detail, members);
    }

    private static void reply(HttpServerRequest request, int status, String detail, ObjectNode members) {
        HttpServerResponse response = request.response();
        if (response.ended()) {
            return;
        }
        if (status == 429 || status == 503) {
            response.putHeader("retry-after", "1");
        }
        if (!request.isEnded()) {
            // The body was not read (refused before it): close rather than read it to reuse the connection.
            response.putHeader("connection", "close");
        }
        response.setStatusCode(status).putHeader("content-type", CONTENT_TYPE)
                .end(body(status, detail, request.path(), members));
    }

    /**
     * Requests the HTTP decoder refused before routing (request line over 4 KB: 414, headers over
     * 8 KB: 431, anything unparseable: 400) get a problem too; the connection is closed after it.
     */
    public static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String detail = switch (status) {
            case 414 -> "the request line is longer than 4096 bytes; shorten the path or query";
            case 431 -> "the request headers are larger than 8192 bytes";
            default -> "the request is not valid HTTP";
        };
        String path = status == 414 ? "" : String.valueOf(request.path());
        request.response().setStatusCode(status).putHeader("content-type", CONTENT_TYPE)
                .putHeader("connection", "close").end(body(status, detail, path, null))
                .onComplete(ignored -> request.connection().close());
    }

    /** A path or query whose percent-encoding does not decode, refused before routing. */
    static void badEncoding(HttpServerRequest request) {
        request.response().setStatusCode(400).putHeader("content-type", CONTENT_TYPE).putHeader("connection", "close")
                .end(body(400, "the path or query has a malformed percent-encoding: each % must be followed by two "
                        + "hex digits that spell UTF-8", "", null));
    }

    /**
     * A whole HTTP/1.1 answer that closes its connection, as bytes: for a client cut off before its
     * request's headers were complete, when there is no request to answer through.
     */
    public static byte[] closingAnswer(int status, String detail) {
        Buffer body = body(status, detail, "", null);
        return Buffer.buffer("HTTP/1.1 " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\r\n"
                        + "content-type: " + CONTENT_TYPE + "\r\n"
                        + "content-length: " + body.length() + "\r\n"
                        + "connection: close\r\n\r\n")
                .appendBuffer(body).getBytes();
    }

    private static Buffer body(int status, String detail, String path, ObjectNode members) {
        ObjectNode problem = Json.MAPPER.createObjectNode()
                .put("type", "about:blank")
                .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
                .put("status", status)
                .put("detail", Text.wellFormed(detail))
                .put("instance", Text.wellFormed(path));
        if (members != null) {
            problem.setAll(members);
        }
        // JSON and a newline, like every answer.
        return Json.withNewline(problem.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static int status(Rejection.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case TIMEOUT -> 408;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
            case TOO_BUSY -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    private static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }
}
