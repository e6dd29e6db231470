package com.conversionrules.http;

import static com.conversionrules.http.TestService.JSON;
import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With shards held by {@link ShardGate}, what waits in their queues is known: a request that finds
 * no room is refused whole with 429, stopping the service finishes and answers what was queued, and
 * a bulk upload refused partway says how much of it was applied. Each answer is compared with the
 * state read back.
 */
class HeldShardTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";

    @TempDir
    Path dir;

    @AfterEach
    void openTheGate() {
        ShardGate.open();
    }

    private TestService start(Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        Path rules = dir.resolve("rules");
        env.put(Config.RULES_DIR, (Files.isDirectory(rules) ? rules : ShardGate.rulesWithGate(rules)).toString());
        env.put(Config.RULES_POLL_SECONDS, "0");
        return TestService.start(dir.resolve("data"), env);
    }

    private static String events(String name, String... users) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        for (String user : users) {
            events.addObject().put("id", name.replace(' ', '-') + "-" + user + "-" + events.size())
                    .put("userId", user).put("name", name).put("time", AFTER);
        }
        return body.toString();
    }

    private static String[] users(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    private static <T> CompletableFuture<T> async(Supplier<T> request) {
        return CompletableFuture.supplyAsync(request);
    }

    /** Events and enrollments waiting in the named shard's queue, as /metrics shows them. */
    private static int queueDepth(TestService service, String shard) {
        String prefix = "conversion_shard_queue_depth{shard=\"" + shard + "\"}";
        return expect(200, service.get("/metrics")).body().asText().lines().filter(line -> line.startsWith(prefix))
                .mapToInt(line -> (int) Double.parseDouble(line.substring(prefix.length()).strip()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " on /metrics"));
    }

    private static void awaitQueued(TestService service, List<String> shards, int items) throws InterruptedException {
        awaitQueued(service, shards, items, items);
    }

    private static void awaitQueued(TestService service, List<String> shards, int least, int most)
            throws InterruptedException {
        for (int attempt = 0; attempt < 3000; attempt++) {
            int waiting = shards.stream().mapToInt(shard -> queueDepth(service, shard)).sum();
            if (waiting >= least && waiting <= most) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(least + " to " + most + " items never waited in " + shards);
    }

    private static int performed(TestService service, String user, String event) {
        return expect(200, service.get("/v1/users/" + user + "/performed?event=" + event.replace(" ", "%20")))
                .body().path("count").asInt();
    }

    @Test
    void aRequestThatFindsAShardFullIsRefusedWholeWith429() throws Exception {
        try (TestService service = start(Map.of(Config.SHARD_QUEUE, "10"))) {
            service.liveCampaign("orders", "multi_touch", "placed_order");
            String[] buyers = users("buyer-", 20);
            for (String user : buyers) {
                service.enroll("orders", user, ENROLLED);
            }
            ShardGate.close();
            CompletableFuture<Reply> hold = async(() -> service.post("/v1/events", events(ShardGate.EVENT, "held")));
            List<String> held = List.copyOf(ShardGate.awaitHeld(1));
            // The held user's events go to the held shard: ten of them take all its room.
            CompletableFuture<Reply> queued = async(() -> service.post("/v1/events", events("Viewed Product",
                    "held", "held", "held", "held", "held", "held", "held", "held", "held", "held")));
            awaitQueued(service, held, 10);

            String[] everyone = Arrays.copyOf(buyers, buyers.length + 1);
            everyone[buyers.length] = "held";
            String orders = events("Placed Order", everyone);
            Reply refused = service.post("/v1/events", orders);

            problem(429, refused);
            assertEquals("1", refused.header("retry-after"));
            assertDetailContains(refused, "nothing of this request was applied");
            for (String user : buyers) {
                assertEquals(0, performed(service, user, "Placed Order"), user + ": not even the shard with room");
            }
            ShardGate.open();
            assertEquals(10, expect(200, queued.join()).body().path("accepted").asInt());
            assertEquals(1, expect(200, hold.join()).body().path("accepted").asInt());
            assertEquals(21, expect(200, service.post("/v1/events", orders)).body().path("accepted").asInt(),
                    "the retry is new in full");
            for (String user : buyers) {
                assertEquals("converted", service.status("orders", user));
            }
        }
    }

    @Test
    void stoppingFinishesAndAnswersWhatTheShardsQueued() throws Exception {
        String[] buyers = users("buyer-", 20);
        try (TestService service = start(Map.of())) {
            service.liveCampaign("orders", "multi_touch", "placed_order");
            for (String user : buyers) {
                service.enroll("orders", user, ENROLLED);
            }
            ShardGate.close();
            CompletableFuture<Reply> hold = async(() -> service.post("/v1/events", events(ShardGate.EVENT, "held")));
            List<String> held = List.copyOf(ShardGate.awaitHeld(1));
            String[] everyone = Arrays.copyOf(buyers, buyers.length + 1);
            everyone[buyers.length] = "held";
            // Admitted whole or not at all: once anything of it waits on the held shard, all of it is in.
            CompletableFuture<Reply> orders = async(() -> service.post("/v1/events", events("Placed Order", everyone)));
            awaitQueued(service, held, 1, Integer.MAX_VALUE);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(service::close);
            awaitNotAccepting(service);
            ShardGate.open();
            stopping.join();

            assertEquals(21, expect(200, orders.join()).body().path("accepted").asInt());
            assertEquals(1, expect(200, hold.join()).body().path("accepted").asInt());
        }
        try (TestService again = start(Map.of())) {
            for (String user : buyers) {
                assertEquals("converted", again.status("orders", user), user);
            }
            assertEquals(1, performed(again, "held", "Placed Order"), "the order queued behind the held one");
        }
    }

    @Test
    void aBulkUploadRefusedPartwaySaysHowMuchWasApplied() throws Exception {
        int lines = 50_000;
        try (TestService service = start(Map.of())) {
            service.liveCampaign("audience", "multi_touch", "placed_order");
            ShardGate.close();
            // Enough users that both shards get one of them.
            CompletableFuture<Reply> hold = async(() -> service.post("/v1/events",
                    events(ShardGate.EVENT, users("hold-", 64))));
            List<String> held = List.copyOf(ShardGate.awaitHeld(2));
            StringBuilder file = new StringBuilder();
            for (int u = 0; u < lines; u++) {
                file.append("{\"userId\":\"member-").append(u).append("\"}\n");
            }
            CompletableFuture<Reply> upload = async(() -> service.postNdjson("/v1/campaigns/audience/enrollments",
                    file.toString()));
            // Four chunks of 10,000 lines are in flight at a time; the fifth waits for one of them.
            awaitQueued(service, held, 40_000);
            CompletableFuture<Reply> end = async(() -> service.post("/v1/campaigns/audience/end"));
            awaitEndQueued(service);
            ShardGate.open();

            JsonNode refused = problem(409, upload.join());
            assertEquals(40_000, refused.path("enrolled").asInt(), refused.toString());
            assertEquals(0, refused.path("alreadyActive").asInt(), refused.toString());
            assertEquals(lines, refused.path("lines").asInt(), refused.toString());
            assertTrue(refused.path("detail").asText().contains("not live")
                    && refused.path("detail").asText().contains("40000 of the 50000 lines were applied"), refused.toString());
            assertEquals(40_000, expect(200, end.join()).body().path("enrollmentsEnded").asInt());
            JsonNode stats = expect(200, service.get("/v1/campaigns/audience/stats")).body();
            assertEquals(40_000, stats.path("enrolled").asInt(), "what the answer said was applied: " + stats);
            assertEquals("exited", service.status("audience", "member-39999"));
            problem(404, service.get("/v1/campaigns/audience/enrollments/member-40000"));
            expect(200, hold.join());
        }
    }

    /** Waits until the server no longer takes connections: the stop has begun. */
    private static void awaitNotAccepting(TestService service) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int attempt = 0; attempt < 3000; attempt++) {
            try {
                http.send(HttpRequest.newBuilder(service.uri("/health/live")).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the service still took connections 30 s into its stop");
    }

    /**
     * Waits until the thread that ends the campaign waits on the shards, inside the end: it has
     * queued the end behind the upload's chunks (the API shows no such thing, and the campaign reads
     * as live until every shard has taken the end).
     */
    private static void awaitEndQueued(TestService service) throws InterruptedException {
        for (int attempt = 0; attempt < 3000; attempt++) {
            boolean ending = Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                    .filter(thread -> thread.getThreadName().equals("campaign-changes"))
                    .filter(thread -> thread.getThreadState() == Thread.State.WAITING)
                    .anyMatch(thread -> Arrays.stream(thread.getStackTrace())
                            .anyMatch(frame -> frame.getMethodName().startsWith("lambda$end")));
            if (ending) {
                assertEquals("live", expect(200, service.get("/v1/campaigns/audience")).body().path("status").asText(),
                        "not ended until every shard has taken the end");
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the end of the campaign was never queued");
    }
}
