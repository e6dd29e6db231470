package com.conversionrules.sender;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint on 127.0.0.1 for the sender's own tests: it answers the status set when a request
 * arrives (204 unless set), holds every answer until {@link #open()} when built closed, and counts what it got per
 * {@code webhook-id}.
 */
final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch gate;
    /** One request as it came. */
    record Request(Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    private final BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Map<String, AtomicInteger> perId = new ConcurrentHashMap<>();
    private volatile int status = 204;
    private volatile String retryAfter;

    private Receiver(boolean open) throws IOException {
        this.gate = new CountDownLatch(open ? 0 : 1);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/exits", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            int answer = status; // as set when the request arrived
            String wait = retryAfter;
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
            requests.add(new Request(headers, body));
            perId.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet();
            arrived.add(id);
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (wait != null) {
                exchange.getResponseHeaders().add("Retry-After", wait);
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.setExecutor(executor);
        server.start();
    }

    static Receiver answering() throws IOException {
        return new Receiver(true);
    }

    /** Holds its answers until {@link #open()}: a receiver that takes its time. */
    static Receiver holding() throws IOException {
        return new Receiver(false);
    }

    void open() {
        gate.countDown();
    }

    void answer(int status) {
        answer(status, null);
    }

    void answer(int status, String retryAfter) {
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The next request in full, waiting up to 30 s for it. */
    Request nextRequest() throws InterruptedException {
        Request request = requests.poll(30, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request arrived within 30 s");
        }
        return request;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/exits";
    }

    /** The webhook-ids of the next {@code count} requests, waiting up to 30 s for them (a liveness bound). */
    List<String> next(int count) throws InterruptedException {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = arrived.poll(30, TimeUnit.SECONDS);
            if (ids[i] == null) {
                throw new AssertionError("only " + i + " of " + count + " deliveries arrived within 30 s");
            }
        }
        return List.of(ids);
    }

    /** A request arriving within the given time, or null. */
    String within(long millis) throws InterruptedException {
        return arrived.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** How many requests came with this webhook-id. */
    int times(String id) {
        AtomicInteger count = perId.get(id);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        open();
        server.stop(0);
        executor.shutdownNow();
    }
}
