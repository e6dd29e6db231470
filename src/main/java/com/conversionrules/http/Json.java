package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one ObjectMapper, and reading and writing JSON bodies with it. A key twice in one object is
 * refused (which one would count is the parser's choice, not the caller's), and so is UTF-8 that
 * is not well-formed. Duplicates are caught while the tree is built: the parser's
 * STRICT_DUPLICATE_DETECTION does the same with a set per object, 44% more bytes allocated per event
 * (bench/ingestion-parse.sh).
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("^Duplicate field ('[^']*')");
    public static final String CONTENT_TYPE = "application/json";

    private Json() {
    }

    /** The request body as a JSON object, or a rejection that says what is wrong with it. */
    public static JsonNode objectBody(RoutingContext ctx) {
        return objectBody(ctx.body().buffer());
    }

    /** A body read without the router as a JSON object, or the same rejection. */
    static JsonNode objectBody(Buffer body) {
        if (body == null || body.length() == 0) {
            throw Rejection.invalid("the request needs a JSON object body");
        }
        JsonNode node = parse(body.getBytes(), "the body");
        if (node == null || !node.isObject()) {
            throw Rejection.invalid("the body must be a JSON object");
        }
        return node;
    }

    /**
     * JSON read from a request: {@code what} ("the body", "line 3") starts the message of the 400
     * when it is not well-formed UTF-8, not JSON, or names a key twice in one object.
     */
    static JsonNode parse(byte[] bytes, String what) {
        int malformed = Utf8.firstMalformed(bytes, 0, bytes.length);
        if (malformed >= 0) {
            throw Rejection.invalid(what + " is not valid UTF-8 at byte " + malformed + " (overlong forms, "
                    + "encoded surrogates and bytes that start no character are refused); send UTF-8 text");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
            if (duplicate.find()) {
                throw Rejection.invalid(what + " names the field " + duplicate.group(1)
                        + " twice in one object; send each field once");
            }
            throw Rejection.invalid(what + " is not valid JSON: " + firstLine(e.getMessage()));
        } catch (IOException e) {
            throw Rejection.invalid(what + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** JSON this service wrote itself (stored properties), back as a tree. */
    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }

    /** A JSON answer, ended by a newline like every answer of this API (so a terminal prompt starts on its own line). */
    public static void reply(RoutingContext ctx, int status, Object body) {
        try {
            send(ctx.response(), status, body);
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    /** {@link #reply} on a bare response; throws, having sent nothing, when the body cannot be written. */
    static void send(HttpServerResponse response, int status, Object body) throws JsonProcessingException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatusCode(status).putHeader("content-type", CONTENT_TYPE).end(withNewline(bytes));
    }

    static Buffer withNewline(byte[] bytes) {
        return Buffer.buffer(bytes.length + 1).appendBytes(bytes).appendByte((byte) '\n');
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
