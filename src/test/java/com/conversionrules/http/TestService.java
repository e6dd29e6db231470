package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.Application;
import com.conversionrules.config.Config;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The real service on 127.0.0.1 and a free port, and a tiny HTTP client for it. */
public final class TestService implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String WRITE_KEY = "wk_test-write-key-0123456789";
    public static final String ADMIN_KEY = "ak_test-admin-key-0123456789";
    private static final Set<String> INGESTION_PATHS = Set.of("/v1/events", "/v1/track", "/v1/page", "/v1/identify",
            "/v1/batch", "/v1/import", "/v1/import/");

    /**
     * An HTTP answer: status, content type, parsed JSON body (null when the body is empty), headers
     * and the body as sent.
     */
    public record Reply(int status, String contentType, JsonNode body, Map<String, List<String>> headers, String text) {
        Reply(int status, String contentType, JsonNode body) {
            this(status, contentType, body, Map.of(), "");
        }

        public String detail() {
            return body.path("detail").asText();
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final Map<String, String> env;
    /**
     * HTTP/1.1 as senders and Segment libraries speak it; the JDK client's default h2c upgrade on
     * cleartext sometimes misreads the answer to the upgrade request as an HTTP/2 frame.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Application application;

    private TestService(Map<String, String> env) {
        this.env = env;
    }

    public static TestService start(Path dataDir) throws Exception {
        return start(dataDir, Map.of());
    }

    public static TestService start(Path dataDir, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put(Config.HOST, "127.0.0.1");
        env.put(Config.PORT, "0");
        env.put(Config.RULES_DIR, "rules");
        env.put(Config.DATA_DIR, dataDir.toString());
        env.put(Config.SHARDS, "2");
        env.put(Config.WRITE_KEYS, WRITE_KEY);
        env.put(Config.ADMIN_KEYS, ADMIN_KEY);
        env.putAll(settings);
        env.values().removeIf(String::isEmpty);
        TestService service = new TestService(env);
        service.application = Application.start(Config.from(env));
        return service;
    }

    public Application application() {
        return application;
    }

    List<String> routes() {
        return application.routes();
    }

    /** Stops the service and starts it again on the same data directory. */
    public void restart() throws Exception {
        application.close();
        application = Application.start(Config.from(env));
    }

    public Reply get(String path) {
        return send(authorized(path, HttpRequest.newBuilder(uri(path)).GET()));
    }

    public Reply delete(String path) {
        return send(authorized(path, HttpRequest.newBuilder(uri(path)).DELETE()));
    }

    public Reply post(String path, String json) {
        return send(authorized(path, HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    public Reply postNdjson(String path, String lines) {
        return send(authorized(path, HttpRequest.newBuilder(uri(path)).header("content-type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(lines))));
    }

    public Reply post(String path) {
        return send(authorized(path, HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())));
    }

    public Reply patch(String path, String json) {
        return send(authorized(path, HttpRequest.newBuilder(uri(path)).header("content-type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))));
    }

    /**
     * Any request, with the given headers (e.g. no key, or a key of the wrong kind) and no key added;
     * {@code body} null sends none.
     */
    public Reply raw(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** The right key for the path: the write key for ingestion, the admin key for the rest. */
    static String keyFor(String path) {
        String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return INGESTION_PATHS.contains(route) ? WRITE_KEY : ADMIN_KEY;
    }

    private static HttpRequest.Builder authorized(String path, HttpRequest.Builder request) {
        return request.header("authorization", "Bearer " + keyFor(path));
    }

    /** Creates and launches a campaign. */
    public void liveCampaign(String id, String type, String conversionEvent) {
        expect(201, post("/v1/campaigns", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"" + type
                + "\",\"conversionEvent\":\"" + conversionEvent + "\"}"));
        expect(200, post("/v1/campaigns/" + id + "/launch"));
    }

    public void enroll(String campaignId, String userId, String enrolledAt) {
        expect(200, post("/v1/campaigns/" + campaignId + "/enrollments",
                "{\"userId\":\"" + userId + "\",\"enrolledAt\":\"" + enrolledAt + "\"}"));
    }

    public Reply event(String id, String userId, String name, String time, String campaignId) {
        return expect(200, post("/v1/events", "{\"id\":\"" + id + "\",\"userId\":\"" + userId + "\",\"name\":\""
                + name + "\",\"time\":\"" + time + "\"" + (campaignId == null ? "" : ",\"campaignId\":\"" + campaignId + "\"")
                + "}"));
    }

    public String status(String campaignId, String userId) {
        return expect(200, get("/v1/campaigns/" + campaignId + "/enrollments/" + userId)).body().path("status").asText();
    }

    /** Asserts an RFC 9457 problem with the given status and returns its body. */
    public static JsonNode problem(int status, Reply reply) {
        expect(status, reply);
        assertTrue(reply.contentType().startsWith("application/problem+json"),
                "content type of a " + status + " is application/problem+json, got '" + reply.contentType() + "'");
        JsonNode body = reply.body();
        assertEquals(status, body.path("status").asInt(), "problem status field: " + body);
        assertTrue(body.path("title").isTextual() && !body.path("title").asText().isBlank(),
                "problem has a title: " + body);
        assertTrue(body.path("detail").isTextual() && !body.path("detail").asText().isBlank(),
                "problem has a detail: " + body);
        return body;
    }

    public static void assertDetailContains(Reply reply, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(reply.detail().contains(fragment),
                    "detail should mention '" + fragment + "': " + reply.detail());
        }
    }

    public static Reply expect(int status, Reply reply) {
        if (reply.status() != status) {
            throw new AssertionError("expected HTTP " + status + " but got " + reply.status() + ": " + reply.body());
        }
        return reply;
    }

    public int port() {
        return application.port();
    }

    /** The transport the service's HTTP server runs on, as its start-up line names it. */
    public String transport() {
        return application.transport();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + application.port() + path);
    }

    /** The metrics-only port (METRICS_PORT); -1 when the service was started without one. */
    int metricsPort() {
        return application.metricsPort();
    }

    /**
     * Sends a request and checks the answer against openapi.json (see {@link Contract}): an answer the
     * document does not describe fails the test that received it.
     */
    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpRequest request = builder.build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String contentType = response.headers().firstValue("content-type").orElse("");
            List<String> problems = Contract.DOCUMENT.problems(request.method(), request.uri().getRawPath(),
                    response.statusCode(), contentType, body);
            if (!problems.isEmpty()) {
                throw new AssertionError("the answer is not what openapi.json documents:\n" + String.join("\n", problems));
            }
            // JSON answers are parsed; any other (the Prometheus text of /metrics) is kept as text.
            JsonNode parsed = body.isEmpty() ? null
                    : contentType.contains("json") ? JSON.readTree(body) : JSON.getNodeFactory().textNode(body);
            return new Reply(response.statusCode(), contentType, parsed, response.headers().map(), body);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        application.close();
    }
}
