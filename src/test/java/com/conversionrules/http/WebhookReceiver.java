package com.conversionrules.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP endpoint on 127.0.0.1 standing in for the sender; it can fail the first N deliveries. */
final class WebhookReceiver implements AutoCloseable {
    /** One POST as the receiver saw it. */
    record Delivery(String webhookId, String contentType, String body, int answeredWith) {
    }

    private final HttpServer server;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft;

    WebhookReceiver(int failFirst) throws IOException {
        this.failuresLeft = new AtomicInteger(failFirst);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/exits", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("content-type"), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/exits";
    }

    /** The next delivery, waiting up to 30 s for it (a liveness bound, not a timing assertion). */
    Delivery next() throws InterruptedException {
        Delivery delivery = deliveries.poll(30, TimeUnit.SECONDS);
        if (delivery == null) {
            throw new AssertionError("no webhook delivery arrived within 30 s");
        }
        return delivery;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
