package com.conversionrules.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP endpoint on 127.0.0.1 standing in for the sender. It answers the scripted answers in
 * order (e.g. 503 with Retry-After, then 410), and 204 once the script is used up.
 */
public final class WebhookReceiver implements AutoCloseable {
    /**
     * An answer to give: a status and extra response headers, after holding the request
     * {@code delayMillis}, with a body of {@code bodyBytes} (streamed; 0 for none).
     */
    public record Answer(int status, Map<String, String> headers, long delayMillis, long bodyBytes) {
        Answer(int status, Map<String, String> headers) {
            this(status, headers, 0, 0);
        }

        /** Answers with a body of that many bytes, to see how much of it the sender reads. */
        static Answer withBody(int status, long bodyBytes) {
            return new Answer(status, Map.of(), 0, bodyBytes);
        }

        static Answer of(int status) {
            return new Answer(status, Map.of());
        }

        /** Answers 204, but only after the sender should have given up waiting. */
        static Answer after(long delayMillis) {
            return new Answer(204, Map.of(), delayMillis, 0);
        }
    }

    /** One POST as the receiver saw it, and when it arrived ({@link System#nanoTime()}). */
    public record Delivery(Map<String, List<String>> headers, String body, int answeredWith, long arrivedNanos) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : values.get(0);
        }

        public String webhookId() {
            return header("webhook-id");
        }

        String contentType() {
            return header("content-type");
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final Queue<Answer> script;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final java.util.concurrent.atomic.AtomicLong answerBytesSent = new java.util.concurrent.atomic.AtomicLong(-1);

    public WebhookReceiver(Answer... script) throws IOException {
        this.script = new ConcurrentLinkedQueue<>(List.of(script));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/exits", exchange -> {
            long arrived = System.nanoTime();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Answer answer = this.script.poll();
            int status = answer == null ? 204 : answer.status();
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
            deliveries.add(new Delivery(headers, body, status, arrived));
            if (answer != null) {
                answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                if (answer.delayMillis() > 0) {
                    try {
                        Thread.sleep(answer.delayMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            long bodyBytes = answer == null ? 0 : answer.bodyBytes();
            exchange.sendResponseHeaders(status, bodyBytes == 0 ? -1 : bodyBytes);
            long sent = 0;
            try (var out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                while (sent < bodyBytes) {
                    int length = (int) Math.min(chunk.length, bodyBytes - sent);
                    out.write(chunk, 0, length);
                    sent += length;
                }
            } catch (IOException closedBySender) {
                // The sender stops reading a body it does not need.
            }
            answerBytesSent.set(sent);
            exchange.close();
        });
        // A thread per request, so a held answer does not hold the next delivery.
        server.setExecutor(executor);
        server.start();
    }

    /** Fails the first {@code failFirst} deliveries with 503 (no Retry-After). */
    static WebhookReceiver failingFirst(int failFirst) throws IOException {
        Answer[] script = new Answer[failFirst];
        java.util.Arrays.fill(script, Answer.of(503));
        return new WebhookReceiver(script);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/exits";
    }

    /**
     * The next delivery, waiting up to 30 s for it (a liveness bound, not a timing assertion); a body
     * that is not the webhook openapi.json documents fails the test.
     */
    Delivery next() throws InterruptedException {
        Delivery delivery = deliveries.poll(30, TimeUnit.SECONDS);
        if (delivery == null) {
            throw new AssertionError("no webhook delivery arrived within 30 s");
        }
        List<String> problems = Contract.DOCUMENT.webhookProblems(delivery.contentType(), delivery.body());
        if (!problems.isEmpty()) {
            throw new AssertionError("the webhook is not what openapi.json documents:\n" + String.join("\n", problems));
        }
        return delivery;
    }

    /** How much of the last answer's body the sender took before it stopped reading (-1 before any). */
    long lastAnswerBytesSent() {
        return answerBytesSent.get();
    }

    /** A delivery arriving within the given time, or null. */
    public Delivery within(long millis) throws InterruptedException {
        return deliveries.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
