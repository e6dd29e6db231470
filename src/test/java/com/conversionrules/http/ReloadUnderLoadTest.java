package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.conversionrules.logging.LogCapture;
import com.conversionrules.reload.LiveRules;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While events stream in over HTTP, the policy file is replaced again and again (valid and broken
 * versions). Every acknowledged event must be evaluated exactly once, no enrollment lost, and the
 * exits must be those of the same run without reloads. Whether a given reload meets events waiting
 * in a queue is up to timing here; {@code RulesSwapTest} makes that overlap certain.
 */
class ReloadUnderLoadTest {
    private static final int USERS = 1_000;
    private static final int EVENTS = 6_000;
    private static final int PER_REQUEST = 50;
    private static final int RELOAD_ROUNDS = 8;

    @TempDir
    Path dir;

    /** The events of the run: views, then orders by even users, then visits by every third user. */
    private static List<ObjectNode> events() {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            int user = i % USERS;
            String name = switch (i / USERS) {
                case 1, 2 -> user % 2 == 0 ? "Placed Order" : "Viewed Product";
                case 3 -> user % 3 == 0 ? "Active on Site" : "Viewed Product";
                default -> "Viewed Product";
            };
            String time = String.format("2026-11-02T10:%02d:%02dZ", i / 3600 % 60, i / 60 % 60);
            events.add(TestService.JSON.createObjectNode().put("id", "e" + i).put("userId", "u" + user)
                    .put("name", name).put("time", time));
        }
        return events;
    }

    private static void setUp(TestService service) {
        service.liveCampaign("orders", "multi_touch", "placed_order");
        service.liveCampaign("visits", "automation", "site_active");
        for (String campaign : new String[] {"orders", "visits"}) {
            ObjectNode body = TestService.JSON.createObjectNode();
            ArrayNode enrollments = body.putArray("enrollments");
            for (int u = 0; u < USERS; u++) {
                enrollments.addObject().put("userId", "u" + u).put("enrolledAt", "2026-11-01T00:00:00Z");
            }
            assertEquals(USERS, expect(200, service.post("/v1/campaigns/" + campaign + "/enrollments",
                    body.toString())).body().path("enrolled").asInt());
        }
    }

    /** Sends every event in batches, counting requests sent in {@code sent}; returns how many were accepted. */
    private static int stream(TestService service, List<ObjectNode> events, AtomicInteger sent) {
        int accepted = 0;
        for (int start = 0; start < events.size(); start += PER_REQUEST) {
            ObjectNode body = TestService.JSON.createObjectNode();
            body.putArray("events").addAll(events.subList(start, Math.min(events.size(), start + PER_REQUEST)));
            accepted += expect(200, service.post("/v1/events", body.toString())).body().path("accepted").asInt();
            sent.incrementAndGet();
        }
        return accepted;
    }

    /** Blocks until the stream has sent at least {@code requests} requests. */
    private static void awaitProgress(AtomicInteger sent, int requests) throws InterruptedException {
        while (sent.get() < requests) {
            Thread.sleep(5);
        }
    }

    /** Every exit as campaign/user/reason/event, sorted. */
    private static Set<String> exits(TestService service) {
        Set<String> exits = new TreeSet<>();
        String after = "0";
        while (true) {
            JsonNode page = expect(200, service.get("/v1/exits?limit=1000&after=" + after)).body();
            if (page.path("exits").isEmpty()) {
                return exits;
            }
            for (JsonNode exit : page.path("exits")) {
                assertTrue(exits.add(exit.path("campaignId").asText() + "/" + exit.path("userId").asText() + "/"
                        + exit.path("reason").asText() + "/" + exit.path("eventId").asText()),
                        "one exit per enrollment: " + exit);
            }
            after = page.path("next").asText();
        }
    }

    @Test
    void reloadsUnderLoadLoseAndRepeatNothing() throws Exception {
        List<ObjectNode> events = events();
        Set<String> withoutReloads;
        try (TestService baseline = TestService.start(dir.resolve("baseline"))) {
            setUp(baseline);
            assertEquals(EVENTS, stream(baseline, events, new AtomicInteger()));
            withoutReloads = exits(baseline);
        }
        assertEquals(USERS / 2 + (USERS + 2) / 3, withoutReloads.size());

        Path rules = ReloadTest.copyShippedRules(dir.resolve("rules"));
        Path policy = rules.resolve("placed-order.drl");
        String original = Files.readString(policy);
        try (TestService service = TestService.start(dir.resolve("data"),
                Map.of("RULES_DIR", rules.toString(), "RULES_POLL_SECONDS", "0"));
             LogCapture reloadLog = LogCapture.of(LiveRules.class)) {
            setUp(service);
            AtomicInteger loaded = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            int requests = EVENTS / PER_REQUEST;
            CompletableFuture<Void> reloads = CompletableFuture.runAsync(() -> {
                try {
                    for (int round = 0; round < RELOAD_ROUNDS; round++) {
                        // Spread the reloads over the stream, so each one meets events in flight.
                        awaitProgress(sent, round * requests / RELOAD_ROUNDS / 2 + 1);
                        Files.writeString(policy, original + "\n// revision " + round + "\n");
                        if (service.post("/v1/rules/reload").status() == 200) {
                            loaded.incrementAndGet();
                        }
                        Files.writeString(policy, original.replace("then", "thn"));
                        if (service.post("/v1/rules/reload").status() == 422) {
                            refused.incrementAndGet();
                        }
                    }
                    Files.writeString(policy, original);
                    expect(200, service.post("/v1/rules/reload"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            long started = System.nanoTime();
            int accepted = stream(service, events, sent);
            reloads.join();
            System.out.printf("reload under load: %d events in %d requests, %d reloads loaded and %d refused, %d ms%n",
                    accepted, requests, loaded.get(), refused.get(), (System.nanoTime() - started) / 1_000_000);

            assertEquals(RELOAD_ROUNDS, loaded.get(), "every valid version loaded");
            assertEquals(RELOAD_ROUNDS, refused.get(), "every broken version refused");
            assertEquals(RELOAD_ROUNDS, reloadLog.messages(Level.WARN).stream()
                    .filter(line -> line.startsWith("Rules not reloaded")).count(), "each refusal is logged");
            assertEquals(EVENTS, accepted, "every event evaluated once");
            assertEquals(withoutReloads, exits(service), "the same exits as without reloads");
            assertEquals(0, stream(service, events, sent), "a second pass is all duplicates");
            JsonNode orders = expect(200, service.get("/v1/campaigns/orders/stats")).body();
            assertEquals(USERS, orders.path("enrolled").asInt());
            assertEquals(USERS / 2, orders.path("active").asInt(), "no enrollment lost");
            JsonNode visits = expect(200, service.get("/v1/campaigns/visits/stats")).body();
            assertEquals(USERS - (USERS + 2) / 3, visits.path("active").asInt(), "no enrollment lost");
        }
    }
}
