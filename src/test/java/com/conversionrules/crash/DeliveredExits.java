package com.conversionrules.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sender endpoint of a crash run: keeps, of every delivery, only what the checks compare with the
 * feed (the http tests' {@code WebhookReceiver} keeps each whole, headers and body, which for the
 * benchmark's 800,000 deliveries is gigabytes).
 */
final class DeliveredExits implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivery: the exit in its body and the {@code webhook-id} header it came with. */
    record Delivery(String exitId, String webhookId, String campaignId, String userId) {
        String key() {
            return campaignId + "/" + userId;
        }
    }

    private final ConcurrentLinkedQueue<Delivery> delivered = new ConcurrentLinkedQueue<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpServer server;

    /** Listens on 127.0.0.1 at {@code port} (0: any free port). */
    DeliveredExits(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(threads);
        server.createContext("/exits", exchange -> {
            JsonNode delivery = JSON.readTree(exchange.getRequestBody());
            JsonNode exit = delivery.has("data") ? delivery.path("data") : delivery;
            delivered.add(new Delivery(exit.path("id").asText(), exchange.getRequestHeaders().getFirst("webhook-id"),
                    exit.path("campaignId").asText(), exit.path("userId").asText()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    /** The URL to configure as the service's webhook. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/exits";
    }

    List<Delivery> deliveries() {
        return List.copyOf(delivered);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
