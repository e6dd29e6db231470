package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the sessions are rebuilt at start, the API refuses with a 503 and applies nothing: an event
 * evaluated against a half-loaded session would miss the conversions of users not loaded yet.
 */
class StartupTest {
    private static final int USERS = 300_000;

    @TempDir
    Path dir;

    @Test
    void requestsDuringTheRebuildAreRefusedAndApplyNothing() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> settings = Map.of(Config.PORT, Integer.toString(port));
        try (TestService first = TestService.start(dir, settings)) {
            first.liveCampaign("startup", "multi_touch", "placed_order");
            StringBuilder audience = new StringBuilder();
            for (int u = 0; u < USERS; u++) {
                audience.append("{\"userId\":\"startup-u").append(u).append("\"}\n");
            }
            expect(200, first.postNdjson("/v1/campaigns/startup/enrollments", audience.toString()));
        }

        CompletableFuture<TestService> restarted = CompletableFuture.supplyAsync(() -> {
            try {
                return TestService.start(dir, settings);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest order = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .header("authorization", "Bearer " + TestService.WRITE_KEY)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"order-1\",\"userId\":\"startup-u" + (USERS - 1) + "\",\"name\":\"Placed Order\"}"))
                .build();
        HttpResponse<String> refused = null;
        while (refused == null && !restarted.isDone()) {
            try {
                HttpResponse<String> answer = http.send(order, HttpResponse.BodyHandlers.ofString());
                assertEquals(503, answer.statusCode(), "before the service is ready: " + answer.body());
                refused = answer;
            } catch (ConnectException notListeningYet) {
                Thread.onSpinWait();
            }
        }
        try (TestService service = restarted.join()) {
            assertTrue(refused != null, "the rebuild of " + USERS + " enrollments ended before any request got in");
            assertEquals("application/problem+json", refused.headers().firstValue("content-type").orElse(""));
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
            JsonNode problem = TestService.JSON.readTree(refused.body());
            assertTrue(problem.path("detail").asText().contains("starting"), refused.body());

            HttpResponse<String> accepted = http.send(order, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, accepted.statusCode(), accepted.body());
            assertEquals(1, TestService.JSON.readTree(accepted.body()).path("accepted").asInt(),
                    "the refused attempt stored nothing, so this is not a duplicate: " + accepted.body());
            assertEquals("converted", service.status("startup", "startup-u" + (USERS - 1)));
        }
    }
}
