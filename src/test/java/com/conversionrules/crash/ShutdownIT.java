package com.conversionrules.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged service as operators run it: SIGTERM stops it cleanly, LOG_FORMAT=json logs JSON. */
class ShutdownIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + ServiceProcess.keyFor(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sigtermLetsADeliveryInFlightFinishAndLogsAsJson() throws Exception {
        AtomicInteger deliveries = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/exits", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deliveries.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Path log = dir.resolve("service.log");
        Map<String, String> settings = Map.of("LOG_FORMAT", "json",
                "SENDER_WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/exits",
                "SENDER_WEBHOOK_SECRET", ServiceProcess.WEBHOOK_SECRET);
        try (ServiceProcess service = new ServiceProcess(dir.resolve("data"), log, settings)) {
            service.start();
            int port = service.port();
            assertEquals(201, send(port, "POST", "/v1/campaigns",
                    "{\"id\":\"c\",\"name\":\"c\",\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}").statusCode());
            assertEquals(200, send(port, "POST", "/v1/campaigns/c/launch", null).statusCode());
            assertEquals(200, send(port, "POST", "/v1/campaigns/c/enrollments", "{\"userId\":\"ann\"}").statusCode());
            assertEquals(200, send(port, "POST", "/v1/events",
                    "{\"id\":\"o1\",\"userId\":\"ann\",\"name\":\"Placed Order\"}").statusCode());

            // The delivery is now in flight (the receiver takes a second); stop the service meanwhile.
            service.stop();
            assertEquals(1, deliveries.get(), "the delivery in flight finished before the process exited");

            service.start();
            Thread.sleep(1_500);
            JsonNode exit = JSON.readTree(send(port, "GET", "/v1/exits", null).body()).path("exits").get(0);
            JsonNode delivery = exit.path("deliveries").path("default");
            assertEquals("delivered", delivery.path("state").asText(), exit.toString());
            assertEquals(1, delivery.path("attempts").asInt(), exit.toString());
            assertEquals(1, deliveries.get(), "not delivered a second time after the restart");
        } finally {
            receiver.stop(0);
        }
        List<String> lines = Files.readAllLines(log).stream().filter(line -> line.startsWith("{")).toList();
        assertTrue(lines.size() >= 4, "JSON log lines: " + lines);
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertTrue(entry.path("level").isTextual() && entry.path("formattedMessage").isTextual(), line);
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("\"Stopped\"")), "the shutdown ran to its end");
    }
}
