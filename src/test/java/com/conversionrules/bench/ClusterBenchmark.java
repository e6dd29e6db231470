package com.conversionrules.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The cluster's measurements that need a program (bench/cluster.sh runs the broker and the
 * instances, and measures throughput with wrk):
 *
 * <ul>
 * <li>{@code latency RATE SECONDS}: open loop, batches of 100 orders of distinct enrolled users sent
 * at RATE events/s over HTTP to one instance; latency from sending each event to its exit on the
 * exits topic, read by a read_committed consumer (what another system consuming the topic sees), with
 * the acknowledgement of the same batches beside it;
 * <li>{@code failover PID}: USERS users enrolled over both instances; then the instance with process
 * id PID is killed with SIGKILL while one order arrives every 10 ms at the survivor, each for another
 * user of the partitions the killed instance evaluated; prints the time from the kill to the first
 * of those users' exits on the topic.
 * </ul>
 */
public final class ClusterBenchmark {
    private static final int PER_REQUEST = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String BOOTSTRAP = env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
    private static final String ADMIN_KEY = env("ADMIN_KEY", "");
    private static final String WRITE_KEY = env("WRITE_KEY", "");

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "latency" -> latency(env("BASE", "http://127.0.0.1:18182"), Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]));
            case "failover" -> failover(env("BASE", "http://127.0.0.1:18183"), env("OTHER", "http://127.0.0.1:18184"),
                    Long.parseLong(args[1]), Integer.parseInt(env("PARTITIONS", "12")), Integer.parseInt(env("USERS",
                            "1000000")));
            default -> throw new IllegalArgumentException("latency RATE SECONDS | failover PID");
        }
        System.exit(0);
    }

    private static void latency(String base, int rate, int seconds) throws Exception {
        int users = rate * seconds;
        String campaign = "latency-" + System.nanoTime();
        call(base, "POST", "/v1/campaigns", ADMIN_KEY, "{\"id\":\"" + campaign + "\",\"name\":\"latency\","
                + "\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}");
        call(base, "POST", "/v1/campaigns/" + campaign + "/launch", ADMIN_KEY, "");
        StringBuilder audience = new StringBuilder();
        for (int u = 0; u < users; u++) {
            audience.append("{\"userId\":\"").append(campaign).append('-').append(u)
                    .append("\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n");
        }
        send(base, "POST", "/v1/campaigns/" + campaign + "/enrollments", ADMIN_KEY, "application/x-ndjson",
                audience.toString()).join();
        awaitStat(base, campaign, "enrolled", users);

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram exits = new Histogram(3);
        Histogram acks = new Histogram(3);
        AtomicInteger received = new AtomicInteger();
        ExitReader reader = new ExitReader(record -> {
            long now = System.nanoTime();
            Long sent = sentAt.remove(record.key());
            if (sent != null) {
                synchronized (exits) {
                    exits.recordValue(now - sent);
                }
                received.incrementAndGet();
            }
        });
        reader.startAtEnd();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * PER_REQUEST / rate;
        int batches = users / PER_REQUEST;
        AtomicInteger next = new AtomicInteger();
        clock.scheduleAtFixedRate(() -> {
            int batch = next.getAndIncrement();
            if (batch >= batches) {
                return;
            }
            StringBuilder body = new StringBuilder("{\"events\":[");
            long now = System.nanoTime();
            for (int i = 0; i < PER_REQUEST; i++) {
                String user = campaign + "-" + (batch * PER_REQUEST + i);
                sentAt.put(user, now);
                body.append(i == 0 ? "" : ",").append("{\"id\":\"o-").append(user).append("\",\"userId\":\"")
                        .append(user).append("\",\"name\":\"Placed Order\"}");
            }
            send(base, "POST", "/v1/events", WRITE_KEY, "application/json", body.append("]}").toString())
                    .thenAccept(answer -> {
                        synchronized (acks) {
                            acks.recordValue(System.nanoTime() - now);
                        }
                    });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 60L);
        while (received.get() < users && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        clock.shutdownNow();
        reader.close();
        System.out.printf("rate %,d events/s for %d s: %,d sent, %,d exits on the topic; event -> exit on topic "
                        + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; acknowledgement p50 %.1f ms, p99 %.1f ms%n",
                rate, seconds, users, received.get(), exits.getValueAtPercentile(50) / 1e6,
                exits.getValueAtPercentile(99) / 1e6, exits.getMaxValue() / 1e6, acks.getValueAtPercentile(50) / 1e6,
                acks.getValueAtPercentile(99) / 1e6);
    }

    private static void failover(String victim, String survivor, long victimPid, int partitions, int users)
            throws Exception {
        call(survivor, "POST", "/v1/campaigns", ADMIN_KEY, "{\"id\":\"failover\",\"name\":\"failover\","
                + "\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}");
        call(survivor, "POST", "/v1/campaigns/failover/launch", ADMIN_KEY, "");
        long enrolling = System.nanoTime();
        for (int from = 0; from < users; from += 100_000) {
            StringBuilder audience = new StringBuilder();
            for (int u = from; u < Math.min(users, from + 100_000); u++) {
                audience.append("{\"userId\":\"f").append(u).append("\",\"enrolledAt\":\"2026-01-01T00:00:00Z\"}\n");
            }
            send(survivor, "POST", "/v1/campaigns/failover/enrollments", ADMIN_KEY, "application/x-ndjson",
                    audience.toString()).join();
        }
        awaitStat(survivor, "failover", "active", users);
        System.out.printf("enrolled %,d users over both instances in %.1f s (queued, then evaluated)%n", users,
                (System.nanoTime() - enrolling) / 1e9);
        List<Integer> victimPartitions = evaluatedBy(victim, partitions);
        List<String> probes = new ArrayList<>();
        for (int u = 0; u < users && probes.size() < 10_000; u++) {
            String user = "f" + u;
            if (victimPartitions.contains(Utils.toPositive(Utils.murmur2(user.getBytes(StandardCharsets.UTF_8)))
                    % partitions)) {
                probes.add(user);
            }
        }
        AtomicLong firstExit = new AtomicLong();
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ExitReader reader = new ExitReader(record -> {
            if (sentAt.containsKey(record.key())) {
                firstExit.compareAndSet(0, System.nanoTime());
            }
        });
        reader.startAtEnd();
        long killed = System.nanoTime();
        ProcessHandle.of(victimPid).orElseThrow().destroyForcibly();
        int sent = 0;
        while (firstExit.get() == 0 && sent < probes.size()) {
            String user = probes.get(sent++);
            sentAt.put(user, System.nanoTime());
            send(survivor, "POST", "/v1/events", WRITE_KEY, "application/json", "{\"id\":\"probe-" + user
                    + "\",\"userId\":\"" + user + "\",\"name\":\"Placed Order\"}");
            Thread.sleep(10);
        }
        reader.close();
        System.out.printf("killed the instance evaluating partitions %s (%,d users enrolled in all); the first user of "
                        + "those partitions converted on the survivor %.1f s after the kill (%d probe orders sent)%n",
                victimPartitions, users, (firstExit.get() - killed) / 1e9, sent);
    }

    /** The partitions an instance evaluates: those whose lag it reports as a number. */
    private static List<Integer> evaluatedBy(String base, int partitions) {
        String metrics = send(base, "GET", "/metrics", ADMIN_KEY, "text/plain", null).join();
        List<Integer> evaluated = new ArrayList<>();
        Matcher lag = Pattern.compile("conversion_partition_lag\\{partition=\"(\\d+)\"} (\\S+)").matcher(metrics);
        while (lag.find()) {
            if (!lag.group(2).equals("NaN")) {
                evaluated.add(Integer.parseInt(lag.group(1)));
            }
        }
        if (evaluated.isEmpty() || evaluated.size() == partitions) {
            throw new IllegalStateException("the instance at " + base + " evaluates " + evaluated + ": expected a share");
        }
        return evaluated;
    }

    private static void awaitStat(String base, String campaign, String field, int value) throws InterruptedException {
        Pattern pattern = Pattern.compile("\"" + field + "\":(\\d+)");
        while (true) {
            Matcher found = pattern.matcher(send(base, "GET", "/v1/campaigns/" + campaign + "/stats", ADMIN_KEY,
                    "application/json", null).join());
            if (found.find() && Integer.parseInt(found.group(1)) >= value) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /** Reads the exits topic from its end, read_committed, on a thread of its own. */
    private static final class ExitReader extends Thread {
        private final Consumer<ConsumerRecord<String, byte[]>> each;
        private final CountDownLatch atEnd = new CountDownLatch(1);
        private volatile boolean running = true;

        ExitReader(Consumer<ConsumerRecord<String, byte[]>> each) {
            this.each = each;
            setDaemon(true);
        }

        @Override
        public void run() {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                String topic = env("EXITS_TOPIC", "conversion-rules.exits");
                List<TopicPartition> all = consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                consumer.assign(all);
                consumer.seekToEnd(all);
                all.forEach(consumer::position);
                atEnd.countDown();
                while (running) {
                    consumer.poll(Duration.ofMillis(50)).forEach(each);
                }
            }
        }

        /** Starts reading and returns once the reader stands at the end of every partition. */
        void startAtEnd() throws InterruptedException {
            start();
            if (!atEnd.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not reach the end of the exits topic");
            }
        }

        void close() throws InterruptedException {
            running = false;
            join(5_000);
        }
    }

    private static void call(String base, String method, String path, String key, String json) {
        send(base, method, path, key, "application/json", json).join();
    }

    private static CompletableFuture<String> send(String base, String method, String path, String key,
                                                  String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(5))
                .header("authorization", "Bearer " + key)
                .header("content-type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(answer -> {
            if (answer.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            return answer.body();
        });
    }

    private static String env(String name, String fallback) {
        return System.getenv().getOrDefault(name, fallback);
    }
}
