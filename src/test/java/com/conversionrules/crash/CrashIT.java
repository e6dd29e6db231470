package com.conversionrules.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the packaged service with SIGKILL at random moments while concurrent clients stream
 * enrollments and events in, some of the kills while it recovers from the previous one (rebuilding
 * its sessions, or redelivering exits), restarts it on the same data directory, and checks that
 * nothing acknowledged was lost: every acknowledged event is reflected, every exit reached the
 * webhook receiver with one stable id, and the stats agree with a replay of the input. Clients
 * retry what was not acknowledged, as real ones do.
 *
 * <p>What it cannot prove: a SIGKILL leaves the operating system's page cache alone, so a commit
 * that was written but never synced survives it too. That acknowledgements survive a power cut rests
 * on {@code synchronous=FULL}, which {@code DatabaseTest} checks on the store's writer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int USERS = 2_000;
    private static final int PER_ROUND = 100;
    private static final int CLIENTS = 4;
    private static final int KILLS = 4;
    /** Of the kills, how many hit the restart that follows them, once it is recovering. */
    private static final int KILLS_DURING_RECOVERY = 2;
    /**
     * The log line that says a restart is recovering: the store is open (SQLite has replayed its
     * log) and the active enrollments are being read back; the sessions are not rebuilt yet.
     */
    private static final String RECOVERING = "Rules loaded from";
    private static final Duration CLIENT_DEADLINE = Duration.ofMinutes(3);
    private static final long SEED = Long.getLong("crash.seed", System.nanoTime());

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ConcurrentLinkedQueue<JsonNode> delivered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();
    private int port;

    /** One request of the workload; sent again until acknowledged. */
    private record Call(String method, String path, String body) {
    }

    /** The campaigns, created and launched before the clients start. */
    private static List<Call> campaigns() {
        return List.of(new Call("POST", "/v1/campaigns",
                        "{\"id\":\"orders\",\"name\":\"Orders\",\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}"),
                new Call("POST", "/v1/campaigns/orders/launch", ""),
                new Call("POST", "/v1/campaigns",
                        "{\"id\":\"visits\",\"name\":\"Visits\",\"type\":\"automation\",\"conversionEvent\":\"site_active\"}"),
                new Call("POST", "/v1/campaigns/visits/launch", ""));
    }

    /** One round per hundred users: enroll them in both campaigns, then send their events. */
    private static List<Call> round(int round) {
        List<Call> calls = new ArrayList<>();
        for (String campaign : new String[] {"orders", "visits"}) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode enrollments = body.putArray("enrollments");
            for (int u = round * PER_ROUND; u < (round + 1) * PER_ROUND; u++) {
                enrollments.addObject().put("userId", "u" + u).put("enrolledAt", "2026-01-01T00:00:00Z");
            }
            calls.add(new Call("POST", "/v1/campaigns/" + campaign + "/enrollments", body.toString()));
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        for (int u = round * PER_ROUND; u < (round + 1) * PER_ROUND; u++) {
            events.add(event("p" + u, u, "Viewed Product"));
            if (u % 2 == 0) {
                events.add(event("o" + u, u, "Placed Order"));
            }
            if (u % 3 == 0) {
                events.add(event("v" + u, u, "Active on Site"));
            }
        }
        calls.add(new Call("POST", "/v1/events", body.toString()));
        return calls;
    }

    private static ObjectNode event(String id, int user, String name) {
        return JSON.createObjectNode().put("id", id).put("userId", "u" + user).put("name", name)
                .put("time", "2026-06-01T00:00:00Z");
    }

    @Test
    void killingTheServiceLosesNothingAcknowledged() throws Exception {
        System.out.printf("crash test: seed %d (run again with -Dcrash.seed=%d)%n", SEED, SEED);
        HttpServer receiver = receiver();
        String webhook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/exits";
        Random random = new Random(SEED);
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
        try (ServiceProcess service = new ServiceProcess(dir.resolve("data"), dir.resolve("service.log"),
                Map.of("SENDER_WEBHOOK_URL", webhook, "SENDER_WEBHOOK_SECRET", ServiceProcess.WEBHOOK_SECRET,
                        "SHARDS", "2"))) {
            port = service.port();
            service.start();
            long deadline = System.nanoTime() + CLIENT_DEADLINE.toNanos();
            for (Call call : campaigns()) {
                sendUntilAcknowledged(call, deadline);
            }
            int rounds = USERS / PER_ROUND;
            TreeSet<Integer> killAt = new TreeSet<>();
            while (killAt.size() < KILLS) {
                killAt.add(1 + random.nextInt(rounds * round(0).size() - 1));
            }
            Set<Integer> hitRecovery = new HashSet<>();
            while (hitRecovery.size() < KILLS_DURING_RECOVERY) {
                hitRecovery.add(random.nextInt(KILLS));
            }
            AtomicInteger recoveringKills = new AtomicInteger();
            Future<?> killer = threads.submit(() -> {
                int kill = 0;
                for (int at : killAt) {
                    while (sent.get() < at) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the clients never reached send " + at);
                        }
                        Thread.sleep(1);
                    }
                    Thread.sleep(random.nextInt(30));
                    service.kill();
                    if (hitRecovery.contains(kill++)) {
                        // Killed again once the restart has opened the store and is reading it back.
                        service.launch();
                        service.awaitLogged(RECOVERING);
                        boolean readyWhenKilled = service.ready();
                        service.kill();
                        if (!readyWhenKilled) {
                            recoveringKills.incrementAndGet();
                        }
                    }
                    service.start();
                }
                return null;
            });
            List<Future<Integer>> clients = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int first = client;
                clients.add(threads.submit(() -> {
                    int acknowledged = 0;
                    for (int round = first; round < rounds; round += CLIENTS) {
                        for (Call call : round(round)) {
                            sendUntilAcknowledged(call, deadline, killer);
                            acknowledged++;
                        }
                    }
                    return acknowledged;
                }));
            }
            int acknowledged = campaigns().size();
            for (Future<Integer> client : clients) {
                acknowledged += result(client);
            }
            result(killer);
            assertEquals(KILLS_DURING_RECOVERY, recoveringKills.get(), "kills that met a restart before it was ready");

            List<JsonNode> exits = awaitAllDelivered();
            Map<String, Set<String>> idsSeen = new HashMap<>();
            for (JsonNode delivery : delivered) {
                JsonNode exit = delivery.has("data") ? delivery.path("data") : delivery;
                assertEquals(exit.path("id").asText(), delivery.path("webhookIdHeader").asText(),
                        "webhook-id is the exit's id");
                idsSeen.computeIfAbsent(exit.path("campaignId").asText() + "/" + exit.path("userId").asText(),
                        key -> new HashSet<>()).add(exit.path("id").asText());
            }
            int lost = 0;
            Set<String> expectedExits = new TreeSet<>();
            for (int u = 0; u < USERS; u++) {
                if (u % 2 == 0) {
                    expectedExits.add("orders/u" + u + "/o" + u);
                }
                if (u % 3 == 0) {
                    expectedExits.add("visits/u" + u + "/v" + u);
                }
            }
            Set<String> actualExits = new TreeSet<>();
            for (JsonNode exit : exits) {
                String key = exit.path("campaignId").asText() + "/" + exit.path("userId").asText();
                actualExits.add(key + "/" + exit.path("eventId").asText());
                Set<String> ids = idsSeen.getOrDefault(key, Set.of());
                if (!ids.equals(Set.of(exit.path("id").asText()))) {
                    lost++;
                }
            }
            System.out.printf("crash test: %d kills (%d of them while recovering), %d clients, %d requests acknowledged "
                            + "(%d sends, %d retries), %d exits, %d webhook deliveries, %d exits missing or with a "
                            + "second id%n", KILLS + KILLS_DURING_RECOVERY, KILLS_DURING_RECOVERY, CLIENTS, acknowledged,
                    sent.get(), retries.get(), exits.size(), delivered.size(), lost);

            Set<String> missing = new TreeSet<>(expectedExits);
            missing.removeAll(actualExits);
            Set<String> extra = new TreeSet<>(actualExits);
            extra.removeAll(expectedExits);
            assertTrue(missing.isEmpty() && extra.isEmpty(), "every acknowledged event converted exactly what it should: "
                    + missing.size() + " exits missing " + first(missing) + ", " + extra.size() + " unexpected " + first(extra));
            assertEquals(0, lost, "every exit reached the receiver, always with the same id");
            assertEquals(idsSeen.keySet().size(), exits.size(), "the receiver saw no exit the store lacks");
            assertStats("orders", USERS / 2);
            assertStats("visits", (USERS + 2) / 3);
            for (int u = 0; u < USERS; u += 7) {
                JsonNode performed = get("/v1/users/u" + u + "/performed?event=Viewed%20Product");
                assertEquals(1, performed.path("count").asInt(), "the view of u" + u + " is stored once");
            }
        } finally {
            threads.shutdownNow();
            receiver.stop(0);
        }
    }

    private static String first(Set<String> exits) {
        return exits.stream().limit(10).toList() + (exits.size() > 10 ? "..." : "");
    }

    /** What a client or the killer returned; its failure as the test's own, with the seed to replay it. */
    private static <T> T result(Future<T> future) throws InterruptedException {
        try {
            return future.get(CLIENT_DEADLINE.toMinutes() + 1, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new AssertionError("seed " + SEED + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("seed " + SEED + ": still running after " + CLIENT_DEADLINE, e);
        }
    }

    private void assertStats(String campaign, int converted) throws Exception {
        JsonNode stats = get("/v1/campaigns/" + campaign + "/stats");
        assertEquals(USERS, stats.path("enrolled").asInt(), campaign + " enrolled");
        assertEquals(converted, stats.path("converted").asInt(), campaign + " converted");
        assertEquals(USERS - converted, stats.path("active").asInt(), campaign + " active");
    }

    private void sendUntilAcknowledged(Call call, long deadline) throws InterruptedException {
        sendUntilAcknowledged(call, deadline, null);
    }

    /**
     * Sends until a 2xx (or the 409 of a create or launch that landed before a crash); gives up at the
     * deadline, or at once when the killer, which brings the service back, has failed.
     */
    private void sendUntilAcknowledged(Call call, long deadline, Future<?> killer) throws InterruptedException {
        String last = "no answer";
        while (true) {
            if (killer != null && killer.isDone()) {
                try {
                    killer.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the killer failed, so the service may be down for good", e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(call.method() + " " + call.path() + " was not acknowledged within "
                        + CLIENT_DEADLINE + "; last: " + last);
            }
            sent.incrementAndGet();
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path()))
                        .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                        .header("authorization", "Bearer " + ServiceProcess.keyFor(call.path()));
                request.method(call.method(), call.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2 || (status == 409 && call.path().startsWith("/v1/campaigns")
                        && !call.path().endsWith("/enrollments"))) {
                    return;
                }
                assertTrue(status == 429 || status == 503, "unexpected status " + status + " for " + call.path());
                last = "HTTP " + status;
            } catch (IOException e) {
                // The service is down: wait for the restart.
                last = e.toString();
            }
            retries.incrementAndGet();
            Thread.sleep(100);
        }
    }

    /** The feed, once every exit on it is recorded as delivered. */
    private List<JsonNode> awaitAllDelivered() throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            List<JsonNode> exits = new ArrayList<>();
            boolean allDelivered = true;
            String after = "0";
            while (true) {
                JsonNode page = get("/v1/exits?limit=1000&after=" + after);
                if (page.path("exits").isEmpty()) {
                    break;
                }
                for (JsonNode exit : page.path("exits")) {
                    exits.add(exit);
                    allDelivered &= "delivered".equals(exit.path("deliveries").path("default").path("state").asText());
                }
                after = page.path("next").asText();
            }
            if (allDelivered) {
                return exits;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("exits were still undelivered after 60 s");
    }

    private JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("authorization", "Bearer " + ServiceProcess.keyFor(path)).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private HttpServer receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/exits", exchange -> {
            ObjectNode delivery = (ObjectNode) JSON.readTree(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            delivery.put("webhookIdHeader", exchange.getRequestHeaders().getFirst("webhook-id"));
            delivered.add(delivery);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
