package com.conversionrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the sessions are rebuilt at start, the API refuses with a 503 and applies nothing: an event
 * evaluated against a half-loaded session would miss the conversions of users not loaded yet. The
 * start is held just before the rebuild, so the request always meets it.
 */
class StartupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITE_KEY = "wk_startup-write-key-0123456789";
    private static final String ADMIN_KEY = "ak_startup-admin-key-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Config config() {
        return Config.from(Map.of(Config.HOST, "127.0.0.1", Config.PORT, "0", Config.RULES_DIR, "rules",
                Config.DATA_DIR, dir.toString(), Config.SHARDS, "2", Config.WRITE_KEYS, WRITE_KEY,
                Config.ADMIN_KEYS, ADMIN_KEY));
    }

    private HttpResponse<String> send(int port, String method, String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsDuringTheRebuildAreRefusedAndApplyNothing() throws Exception {
        try (Application first = Application.start(config())) {
            int port = first.port();
            assertEquals(201, send(port, "POST", "/v1/campaigns", ADMIN_KEY, "{\"id\":\"startup\",\"name\":\"s\","
                    + "\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}").statusCode());
            assertEquals(200, send(port, "POST", "/v1/campaigns/startup/launch", ADMIN_KEY, null).statusCode());
            assertEquals(200, send(port, "POST", "/v1/campaigns/startup/enrollments", ADMIN_KEY,
                    "{\"userId\":\"ann\",\"enrolledAt\":\"2026-11-01T10:00:00Z\"}").statusCode());
        }

        CompletableFuture<Integer> rebuildReached = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Application> restarted = CompletableFuture.supplyAsync(() -> {
            try {
                return Application.start(config(), listening -> {
                    rebuildReached.complete(listening.port());
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            int port = rebuildReached.get(60, TimeUnit.SECONDS);
            String order = "{\"id\":\"order-1\",\"userId\":\"ann\",\"name\":\"Placed Order\","
                    + "\"time\":\"2026-11-02T10:00:00Z\"}";
            HttpResponse<String> refused = send(port, "POST", "/v1/events", WRITE_KEY, order);

            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("application/problem+json", refused.headers().firstValue("content-type").orElse(""));
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
            assertTrue(JSON.readTree(refused.body()).path("detail").asText().contains("starting"), refused.body());
            assertEquals(503, send(port, "GET", "/health/ready", ADMIN_KEY, null).statusCode());
            assertEquals(503, send(port, "GET", "/v1/campaigns/startup/enrollments/ann", ADMIN_KEY, null)
                    .statusCode(), "reads wait too");

            release.countDown();
            try (Application service = restarted.get(60, TimeUnit.SECONDS)) {
                HttpResponse<String> accepted = send(port, "POST", "/v1/events", WRITE_KEY, order);
                assertEquals(200, accepted.statusCode(), accepted.body());
                assertEquals(1, JSON.readTree(accepted.body()).path("accepted").asInt(),
                        "the refused attempt stored nothing, so this is not a duplicate: " + accepted.body());
                JsonNode ann = JSON.readTree(send(port, "GET", "/v1/campaigns/startup/enrollments/ann", ADMIN_KEY, null)
                        .body());
                assertEquals("converted", ann.path("status").asText(), ann.toString());
            }
        } finally {
            release.countDown();
        }
    }
}
