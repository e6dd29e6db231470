package com.conversionrules.http;

import static com.conversionrules.http.TestService.JSON;
import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.Garbage.Kind;
import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws seeded garbage at every route: random bytes, random JSON, wrong types, huge and broken
 * strings, deep nesting, absurd times, bad keys. Nothing may answer 5xx, every refusal is a problem,
 * every refused field is named, and nothing the service holds may change.
 */
class FuzzTest {
    /** Change it (-Dfuzz.seed=...) to explore; a failure message names the seed and the request. */
    private static final long SEED = Long.getLong("fuzz.seed", 20261127L);
    private static final int ROUNDS = 40;
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";

    @TempDir
    static Path dataDir;
    static TestService service;

    /** A route that changes state, a valid body for it, and the fields whose wrong values it must refuse. */
    private record Target(String method, String path, String template, Map<String, Kind> fields) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("POST", "/v1/campaigns",
                    "{\"id\":\"fz-new\",\"name\":\"New\",\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}",
                    Map.of("id", Kind.ID, "name", Kind.TEXT, "type", Kind.ENUM, "conversionEvent", Kind.ENUM)),
            new Target("PATCH", "/v1/campaigns/fz-live", "{\"name\":\"Renamed\"}", Map.of("name", Kind.TEXT)),
            new Target("POST", "/v1/campaigns/fz-live/enrollments",
                    "{\"enrollments\":[{\"userId\":\"fz-new-user\",\"enrolledAt\":\"" + ENROLLED + "\"}]}",
                    Map.of("enrollments", Kind.ARRAY, "enrollments.0", Kind.ITEM, "enrollments.0.userId", Kind.ID,
                            "enrollments.0.enrolledAt", Kind.TIME)),
            new Target("POST", "/v1/events",
                    "{\"events\":[{\"id\":\"fz-e1\",\"userId\":\"fz-u1\",\"name\":\"Placed Order\",\"time\":\"" + AFTER
                            + "\",\"properties\":{\"value\":10},\"campaignId\":\"fz-live\"}]}",
                    Map.of("events", Kind.ARRAY, "events.0", Kind.ITEM, "events.0.id", Kind.ID,
                            "events.0.userId", Kind.ID, "events.0.name", Kind.TEXT, "events.0.time", Kind.TIME,
                            "events.0.properties", Kind.OBJECT, "events.0.properties.value", Kind.NUMBER,
                            "events.0.campaignId", Kind.ID)),
            new Target("POST", "/v1/track",
                    "{\"messageId\":\"fz-m1\",\"userId\":\"fz-u1\",\"event\":\"Order Completed\",\"timestamp\":\""
                            + AFTER + "\",\"sentAt\":\"" + AFTER + "\",\"context\":{},\"properties\":{\"total\":5}}",
                    Map.of("messageId", Kind.ID, "userId", Kind.ID, "event", Kind.TEXT, "timestamp", Kind.TIME,
                            "sentAt", Kind.TIME, "context", Kind.OBJECT, "properties", Kind.OBJECT,
                            "properties.total", Kind.NUMBER)),
            new Target("POST", "/v1/page",
                    "{\"messageId\":\"fz-m2\",\"userId\":\"fz-u1\",\"timestamp\":\"" + AFTER + "\"}",
                    Map.of("messageId", Kind.ID, "userId", Kind.ID, "timestamp", Kind.TIME)),
            new Target("POST", "/v1/identify", "{\"messageId\":\"fz-m3\",\"userId\":\"fz-u1\",\"timestamp\":\""
                    + AFTER + "\",\"properties\":{},\"context\":{}}",
                    Map.of("messageId", Kind.ID, "userId", Kind.ID, "timestamp", Kind.TIME, "properties", Kind.OBJECT,
                            "context", Kind.OBJECT)),
            new Target("POST", "/v1/batch",
                    "{\"batch\":[{\"type\":\"track\",\"messageId\":\"fz-m4\",\"userId\":\"fz-u1\","
                            + "\"event\":\"Order Completed\"}]}",
                    Map.of("batch", Kind.ARRAY, "batch.0", Kind.ITEM, "batch.0.type", Kind.ENUM,
                            "batch.0.messageId", Kind.ID, "batch.0.userId", Kind.ID, "batch.0.event", Kind.TEXT)),
            new Target("POST", "/v1/import/",
                    "{\"batch\":[{\"type\":\"page\",\"messageId\":\"fz-m5\",\"userId\":\"fz-u1\"}],\"sentAt\":\""
                            + AFTER + "\"}",
                    Map.of("batch", Kind.ARRAY, "batch.0.type", Kind.ENUM, "sentAt", Kind.TIME)));

    /** Paths that must refuse any body: unknown campaigns, or an active user not in the path. */
    private static final List<String[]> REFUSING = List.of(new String[] {"POST", "/v1/campaigns/fz-nope/launch"},
            new String[] {"POST", "/v1/campaigns/fz-nope/end"}, new String[] {"POST", "/v1/campaigns/fz-nope/enrollments"},
            new String[] {"PATCH", "/v1/campaigns/fz-nope"}, new String[] {"PUT", "/v1/events"},
            new String[] {"POST", "/v1/exits"});

    @BeforeAll
    static void startWithState() throws Exception {
        service = TestService.start(dataDir);
        service.liveCampaign("fz-live", "multi_touch", "placed_order");
        expect(201, service.post("/v1/campaigns", "{\"id\":\"fz-draft\",\"name\":\"Draft\",\"type\":\"flow\"}"));
        service.enroll("fz-live", "fz-u1", ENROLLED);
        service.enroll("fz-live", "fz-u2", ENROLLED);
        service.event("fz-order", "fz-u2", "Placed Order", AFTER, null);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void garbageIsRefusedWithAProblemAndChangesNothing() {
        String before = snapshot();
        Random random = new Random(SEED);
        Garbage garbage = new Garbage(random);
        int sent = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Target target : TARGETS) {
                sendRefused(target.method(), target.path(), garbage.body(), null, "garbage");
                String field = garbage.pick(new ArrayList<>(target.fields().keySet()));
                JsonNode wrong = garbage.wrongFor(target.fields().get(field));
                String body = mutate(target.template(), field, wrong);
                Reply reply = sendRefused(target.method(), target.path(), body.getBytes(StandardCharsets.UTF_8),
                        null, field + " = " + abbreviate(Garbage.json(wrong)));
                if (reply.status() == 400) {
                    String named = field.replaceAll("\\.(\\d+)", "[$1]");
                    String leaf = named.substring(named.lastIndexOf('.') + 1);
                    assertTrue(reply.detail().contains(leaf), "seed " + SEED + ": the refusal of " + target.path()
                            + " with " + field + " = " + abbreviate(Garbage.json(wrong)) + " names the field: "
                            + reply.detail());
                }
                sendRefused(target.method(), target.path(), target.template().getBytes(StandardCharsets.UTF_8),
                        garbage.header(), "a bad key");
                sent += 3;
            }
            garbageOnEveryRoute(garbage);
            String[] refusing = garbage.pick(REFUSING);
            sendRefused(refusing[0], refusing[1], garbage.body(), null, "garbage");
            probeReads(garbage);
            sent += 5;
        }
        assertEquals(before, snapshot(), "seed " + SEED + ": " + sent + " refused requests changed nothing");
    }

    /**
     * Every route the router serves, found from the router itself: garbage with a bad key is 401 whatever its size
     * (the key is checked before a body is read; open routes answer without 5xx), garbage with the right key is
     * never a 5xx.
     */
    private static void garbageOnEveryRoute(Garbage garbage) {
        for (String route : service.routes()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[A-Za-z]+}", "fz-nope");
            byte[] body = garbage.body();
            boolean open = path.startsWith("/health/") || path.equals("/openapi.json");
            Map<String, String> badKey = Map.of("content-type", "application/json", "authorization", garbage.header());
            Reply unauthenticated = service.raw(method, path, body, badKey);
            if (open) {
                assertTrue(unauthenticated.status() < 500, "seed " + SEED + ": " + route + " answered "
                        + unauthenticated.status());
            } else {
                assertEquals(401, unauthenticated.status(), "seed " + SEED + ": " + route + " with a bad key");
                TestService.problem(401, unauthenticated);
            }
            Reply keyed = service.raw(method, path, body, Map.of("content-type", "application/json",
                    "authorization", "Bearer " + TestService.keyFor(path)));
            assertTrue(keyed.status() < 500, "seed " + SEED + ": " + route + " with garbage answered " + keyed.status());
            if (keyed.status() >= 400) {
                TestService.problem(keyed.status(), keyed);
            }
        }
    }

    /** Reads with garbage in the path and query: never 5xx, and a problem whenever refused. */
    private static void probeReads(Garbage garbage) {
        String junk = URLEncoder.encode(garbage.text(1 + garbage.nextInt(300)), StandardCharsets.UTF_8)
                .replace("+", "%20");
        for (String path : List.of("/v1/campaigns/" + junk, "/v1/campaigns/" + junk + "/stats",
                "/v1/campaigns/" + junk + "/review", "/v1/campaigns/fz-live/enrollments/" + junk,
                "/v1/users/" + junk + "/performed?event=" + junk + "&since=" + junk,
                "/v1/users/fz-u1/performed?event=Placed%20Order&since=" + junk,
                "/v1/exits?after=" + junk + "&limit=" + junk, "/v1/exits?limit=" + garbage.nextInt(5000) * -7)) {
            Reply reply = service.get(path);
            assertTrue(reply.status() < 500, "seed " + SEED + ": GET " + path + " answered " + reply.status());
            if (reply.status() >= 400) {
                TestService.problem(reply.status(), reply);
            }
        }
        String deleted = "/v1/campaigns/fz-live/enrollments/" + junk + "x";
        Reply delete = service.delete(deleted);
        assertTrue(delete.status() == 400 || delete.status() == 404, "DELETE " + deleted + ": " + delete.status());
        TestService.problem(delete.status(), delete);
    }

    /** Sends a request that must be refused: a 4xx problem, never a 2xx or 5xx. */
    private static Reply sendRefused(String method, String path, byte[] body, String authorization, String what) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("authorization", authorization != null ? authorization : "Bearer " + TestService.keyFor(path));
        Reply reply = service.raw(method, path, body, headers);
        assertTrue(reply.status() >= 400 && reply.status() < 500, "seed " + SEED + ": " + method + " " + path
                + " with " + what + " answered " + reply.status() + ": " + reply.body());
        TestService.problem(reply.status(), reply);
        return reply;
    }

    /** The template with the field at a dotted path (array positions as numbers) set to a wrong value. */
    private static String mutate(String template, String field, JsonNode wrong) {
        try {
            JsonNode root = JSON.readTree(template);
            String[] steps = field.split("\\.");
            JsonNode parent = root;
            for (int i = 0; i < steps.length - 1; i++) {
                parent = steps[i].matches("\\d+") ? parent.get(Integer.parseInt(steps[i])) : parent.get(steps[i]);
            }
            String last = steps[steps.length - 1];
            if (last.matches("\\d+")) {
                ((ArrayNode) parent).set(Integer.parseInt(last), wrong);
            } else {
                ((ObjectNode) parent).set(last, wrong);
            }
            return Garbage.json(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the service holds, as its API shows it. */
    private static String snapshot() {
        StringBuilder state = new StringBuilder();
        for (String path : List.of("/v1/exits?limit=1000", "/v1/campaigns", "/v1/campaigns/fz-live/stats",
                "/v1/campaigns/fz-draft/stats", "/v1/campaigns/fz-live/enrollments/fz-u1",
                "/v1/users/fz-u1/performed?event=Placed%20Order", "/v1/users/fz-u1/performed?event=Order%20Completed",
                "/v1/users/fz-u1/performed?event=Page%20Viewed")) {
            state.append(path).append(' ').append(expect(200, service.get(path)).body()).append('\n');
        }
        return state.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
