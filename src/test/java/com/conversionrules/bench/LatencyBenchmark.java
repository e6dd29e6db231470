package com.conversionrules.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Event to webhook latency at constant arrival rates (open loop: sends are scheduled by the clock,
 * not by answers), events sent in batches of 100. Every event is an order of a distinct enrolled
 * user, so each one makes an exit; the latency is from sending the event to the exit arriving at
 * this program's webhook receiver. The first rate warms the service up.
 *
 * <p>The baseline is the acknowledgement of the same batches: an exit goes out once its batch is
 * committed, so the acknowledgement bounds it from below. How much later each exit arrives than the
 * answer to its own request is measured per exit (not as a difference of percentiles); an exit that
 * arrives before the answer counts as 0 and is counted apart.
 *
 * <pre>bench/latency.sh [--quick]</pre>  (starts the service with its webhook pointed here)
 */
public final class LatencyBenchmark {
    /** Events per request: a sender batches, as Segment libraries do; 100 per 10 ms is 10k events/s. */
    private static final int PER_REQUEST = 100;

    public static void main(String[] args) throws Exception {
        String base = System.getenv().getOrDefault("BASE", "http://127.0.0.1:18181");
        int receiverPort = Integer.parseInt(System.getenv().getOrDefault("RECEIVER_PORT", "18182"));
        String adminKey = System.getenv().getOrDefault("ADMIN_KEY", "");
        String writeKey = System.getenv().getOrDefault("WRITE_KEY", "");
        boolean quick = java.util.List.of(args).contains("--quick");
        // The first rate warms the JIT up and is reported as such: a cold service is slower.
        int[] rates = quick ? new int[] {1_000, 1_000} : new int[] {5_000, 10_000, 50_000};
        int seconds = quick ? 2 : 10;

        Vertx vertx = Vertx.vertx();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(3);
        Histogram acknowledged = new Histogram(3);
        AfterAck afterAck = new AfterAck();
        AtomicInteger received = new AtomicInteger();
        HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            long now = System.nanoTime();
            JsonObject json = body.toJsonObject();
            JsonObject exit = json.containsKey("data") ? json.getJsonObject("data") : json;
            String user = exit.getString("userId");
            Long sent = sentAt.remove(user);
            if (sent != null) {
                synchronized (histogram) {
                    histogram.recordValue(now - sent);
                }
                afterAck.exitArrived(Integer.parseInt(user.substring(1)) / PER_REQUEST, now);
                received.incrementAndGet();
            }
            request.response().setStatusCode(204).end();
        })).listen(receiverPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get();

        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64));
        Http http = new Http(client, base);
        int users = 0;
        for (int rate : rates) {
            users += rate * seconds;
        }
        http.call(HttpMethod.POST, "/v1/campaigns", adminKey, new JsonObject().put("id", "latency").put("name", "Latency")
                .put("type", "multi_touch").put("conversionEvent", "placed_order").encode());
        http.call(HttpMethod.POST, "/v1/campaigns/latency/launch", adminKey, "");
        StringBuilder audience = new StringBuilder();
        for (int u = 0; u < users; u++) {
            audience.append("{\"userId\":\"l").append(u).append("\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n");
        }
        http.ndjson("/v1/campaigns/latency/enrollments", adminKey, audience.toString());

        System.out.printf("latency benchmark: %s, %d s per rate, %d events per request%n", quick ? "quick" : "full", seconds,
                PER_REQUEST);
        System.out.println("baseline: the acknowledgement of the same requests (ack); after ack: each exit's arrival minus "
                + "the answer to its own request");
        System.out.println("rate/s | sent | exits received | errors | exit p50 ms | exit p99 ms | exit max ms | ack p50 ms "
                + "| ack p99 ms | after ack p50 ms | after ack p99 ms | exits before their ack");
        int next = 0;
        for (int rate : rates) {
            histogram.reset();
            acknowledged.reset();
            afterAck.reset();
            received.set(0);
            AtomicInteger errors = new AtomicInteger();
            int count = rate * seconds;
            int first = next;
            int requests = count / PER_REQUEST;
            CountDownLatch answered = new CountDownLatch(requests);
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) * PER_REQUEST / rate;
            for (int r = 0; r < requests; r++) {
                int batchIndex = first / PER_REQUEST + r;
                long due = start + r * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long sent = System.nanoTime();
                StringBuilder batch = new StringBuilder("{\"events\":[");
                for (int i = 0; i < PER_REQUEST; i++) {
                    String user = "l" + (first + r * PER_REQUEST + i);
                    sentAt.put(user, sent);
                    batch.append(i == 0 ? "" : ",").append("{\"id\":\"lat-").append(user).append("\",\"userId\":\"")
                            .append(user).append("\",\"name\":\"Placed Order\"}");
                }
                http.send(HttpMethod.POST, "/v1/events", writeKey, batch.append("]}").toString()).onComplete(result -> {
                    if (result.failed() || result.result() != 200) {
                        errors.addAndGet(PER_REQUEST);
                    } else {
                        long now = System.nanoTime();
                        synchronized (acknowledged) {
                            acknowledged.recordValue(now - sent);
                        }
                        afterAck.acknowledged(batchIndex, now);
                    }
                    answered.countDown();
                });
            }
            next += count;
            answered.await(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.get() < count - errors.get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            synchronized (histogram) {
                Histogram after = afterAck.histogram();
                System.out.printf((rate == rates[0] && next == count ? "warm-up " : "")
                                + "%,6d | %,d | %,d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %,d%n", rate, count,
                        received.get(), errors.get(), histogram.getValueAtPercentile(50) / 1e6,
                        histogram.getValueAtPercentile(99) / 1e6, histogram.getMaxValue() / 1e6,
                        acknowledged.getValueAtPercentile(50) / 1e6, acknowledged.getValueAtPercentile(99) / 1e6,
                        after.getValueAtPercentile(50) / 1e6, after.getValueAtPercentile(99) / 1e6, afterAck.beforeAck());
            }
        }
        receiver.close();
        vertx.close();
    }

    /**
     * Per exit, how long after the answer to its own request it arrived. Exits and answers come on
     * different connections in either order: an exit that comes first waits for its answer and
     * counts as 0.
     */
    private static final class AfterAck {
        private final Histogram delays = new Histogram(3);
        private final Map<Integer, Long> answeredAt = new java.util.HashMap<>();
        private final Map<Integer, Integer> waitingForAnswer = new java.util.HashMap<>();
        private int beforeAck;

        synchronized void acknowledged(int batch, long at) {
            answeredAt.put(batch, at);
            Integer early = waitingForAnswer.remove(batch);
            if (early != null) {
                delays.recordValueWithCount(0, early);
                beforeAck += early;
            }
        }

        synchronized void exitArrived(int batch, long at) {
            Long answered = answeredAt.get(batch);
            if (answered == null) {
                waitingForAnswer.merge(batch, 1, Integer::sum);
            } else {
                delays.recordValue(Math.max(0, at - answered));
            }
        }

        synchronized Histogram histogram() {
            return delays.copy();
        }

        synchronized int beforeAck() {
            return beforeAck;
        }

        synchronized void reset() {
            delays.reset();
            answeredAt.clear();
            waitingForAnswer.clear();
            beforeAck = 0;
        }
    }

    /** A few HTTP calls with keys, blocking where setup needs it. */
    private record Http(HttpClient client, String base) {
        io.vertx.core.Future<Integer> send(HttpMethod method, String path, String key, String body) {
            RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(base + path)
                    .putHeader("content-type", "application/json");
            if (!key.isEmpty()) {
                options.putHeader("authorization", "Bearer " + key);
            }
            return client.request(options).compose(request -> request.send(Buffer.buffer(body)))
                    .compose(response -> response.body().map(ignored -> response.statusCode()));
        }

        void call(HttpMethod method, String path, String key, String body) throws Exception {
            int status = send(method, path, key, body).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (status / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered " + status);
            }
        }

        void ndjson(String path, String key, String lines) throws Exception {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(base + path)
                    .putHeader("content-type", "application/x-ndjson").setIdleTimeout(120_000);
            if (!key.isEmpty()) {
                options.putHeader("authorization", "Bearer " + key);
            }
            int status = client.request(options).compose(request -> request.send(Buffer.buffer(lines)))
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            if (status != 200) {
                throw new IllegalStateException("bulk enrollment answered " + status);
            }
        }
    }

    private LatencyBenchmark() {
    }
}
