package com.conversionrules.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The API document as a test oracle: every answer an HTTP test receives is checked against the
 * response openapi.json documents for its method, path and status: the status is documented, the
 * content type is one documented for it, and a JSON body is valid against its schema (JSON Schema
 * 2020-12 with the OpenAPI 3.1 vocabulary, through networknt's validator). The shared test client
 * calls it on every answer, so every HTTP test keeps the document true.
 */
final class Contract {
    private static final String DOCUMENT_IRI = "https://conversion-rules.test/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Contract DOCUMENT = new Contract(read("/openapi.json"));
    private static final Pattern CONSOLE_FILES = Pattern.compile("/|/assets/.+");
    private static final java.util.Set<Integer> BEFORE_ROUTING = java.util.Set.of(400, 401, 404, 405, 413, 414, 431);

    private record Operation(Pattern path, String template, JsonNode paths) {
    }

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final List<Operation> templates = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final AtomicLong checked = new AtomicLong();

    Contract(String text) {
        try {
            this.document = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, text)));
        for (Iterator<String> names = document.path("paths").fieldNames(); names.hasNext(); ) {
            String template = names.next();
            String regex = Pattern.quote(template).replaceAll("\\{[A-Za-z]+}", "\\\\E[^/]+\\\\Q") + "/?";
            templates.add(new Operation(Pattern.compile(regex), template, document.path("paths").path(template)));
        }
    }

    private static String read(String resource) {
        try (InputStream in = Contract.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many answers have been checked in this test run. */
    long checked() {
        return checked.get();
    }

    /** What is wrong with an answer, as sentences; empty when it is what the document says. */
    List<String> problems(String method, String path, int status, String contentType, String body) {
        checked.incrementAndGet();
        String where = method + " " + path + " -> " + status;
        JsonNode responses = responses(method, path);
        if (responses == null && status < 400 && CONSOLE_FILES.matcher(path).matches()) {
            return List.of(); // the console's static files: a web page, not part of the API document
        }
        if (responses == null) {
            // No documented operation: only a problem is right (404 unknown path, 405 wrong method, or a
            // request refused before routing: 401 no known key, 413 body, 414 request line, 431 headers,
            // 400 not HTTP).
            return body(where, "#/components/schemas/Problem", "application/problem+json", contentType, body,
                    BEFORE_ROUTING.contains(status));
        }
        String key = responses.has(String.valueOf(status)) ? String.valueOf(status) : "default";
        JsonNode response = responses.path(key);
        if (response.isMissingNode()) {
            return List.of(where + ": status " + status + " is not documented for this operation");
        }
        String responsePointer = "";
        if (response.has("$ref")) {
            responsePointer = response.path("$ref").asText();
            response = document.at(responsePointer.substring(1));
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            return body.isEmpty() ? List.of() : List.of(where + ": the document gives no body, the answer has one");
        }
        String mediaType = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!content.has(mediaType)) {
            return List.of(where + ": content type '" + contentType + "' is not documented; expected one of "
                    + iterable(content.fieldNames()));
        }
        JsonNode schema = content.path(mediaType).path("schema");
        if (schema.isMissingNode() || !mediaType.contains("json")) {
            return List.of();
        }
        String pointer = responsePointer.isEmpty()
                ? "#" + pointerTo(method, path) + "/" + escape(key) + "/content/" + escape(mediaType) + "/schema"
                : responsePointer + "/content/" + escape(mediaType) + "/schema";
        return body(where, pointer, mediaType, contentType, body, true);
    }

    private List<String> body(String where, String pointer, String mediaType, String contentType, String body,
                              boolean statusExpected) {
        if (!statusExpected) {
            return List.of(where + ": no operation is documented at this path");
        }
        if (!contentType.toLowerCase(Locale.ROOT).startsWith(mediaType)) {
            return List.of(where + ": content type '" + contentType + "', documented " + mediaType);
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            return List.of(where + ": the body is not JSON: " + e.getMessage());
        }
        Schema schema = schemas.computeIfAbsent(pointer, at -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + at)));
        List<Error> errors = schema.validate(parsed);
        return errors.stream().map(error -> where + ": " + error.getInstanceLocation() + " " + error.getMessage()
                + " (schema " + pointer + "; body " + abbreviate(body) + ")").toList();
    }

    /** What is wrong with an exit webhook's body, against the request body of the documented webhook. */
    List<String> webhookProblems(String contentType, String body) {
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip();
        JsonNode content = document.path("webhooks").path("campaignExited").path("post").path("requestBody")
                .path("content");
        if (!content.has(mediaType)) {
            return List.of("webhook: content type '" + contentType + "' is not documented");
        }
        return body("webhook", "#/webhooks/campaignExited/post/requestBody/content/" + escape(mediaType) + "/schema",
                mediaType, contentType, body, true);
    }

    private JsonNode responses(String method, String path) {
        String lower = method.toLowerCase(Locale.ROOT);
        for (Operation operation : templates) {
            if (operation.path().matcher(path).matches() && operation.paths().has(lower)) {
                return operation.paths().path(lower).path("responses");
            }
        }
        return null;
    }

    private String pointerTo(String method, String path) {
        String lower = method.toLowerCase(Locale.ROOT);
        for (Operation operation : templates) {
            if (operation.path().matcher(path).matches() && operation.paths().has(lower)) {
                return "/paths/" + escape(operation.template()) + "/" + lower + "/responses";
            }
        }
        throw new IllegalStateException("no operation for " + method + " " + path);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return String.join(", ", list);
    }

    private static String abbreviate(String body) {
        return body.length() <= 400 ? body.strip() : body.substring(0, 400) + "...";
    }
}
