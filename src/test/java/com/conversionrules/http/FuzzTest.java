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
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throws seeded garbage at every route: random bytes, random JSON, wrong types, huge and broken
 * strings, deep nesting, absurd times, bad keys, on the JSON and the NDJSON routes. Nothing may
 * answer 5xx, every refusal is a problem, every refused field is named, and nothing the service
 * holds may change: lists carry valid items beside the broken one, so a partly applied request
 * shows, and the state of every campaign and user the requests name is compared before and after.
 * The seed differs from run to run and every failure names it; {@code -Dfuzz.seed=N} replays one.
 */
class FuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int ROUNDS = 30;
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";
    /** Items per list in the templates; the broken one is any of them. */
    private static final int ITEMS = 3;

    @TempDir
    static Path dataDir;
    static TestService service;

    /**
     * A route that changes state, a valid body for it, and the fields whose wrong values it must
     * refuse; {@code *} in a field stands for any item of its list.
     */
    private record Target(String method, String path, String contentType, String template, Map<String, Kind> fields) {
        Target(String method, String path, String template, Map<String, Kind> fields) {
            this(method, path, "application/json", template, fields);
        }
    }

    private static String list(String... items) {
        return String.join(",", items);
    }

    private static final List<Target> TARGETS = List.of(
            new Target("POST", "/v1/campaigns",
                    "{\"id\":\"fz-new\",\"name\":\"New\",\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}",
                    Map.of("id", Kind.ID, "name", Kind.TEXT, "type", Kind.ENUM, "conversionEvent", Kind.ENUM)),
            new Target("POST", "/v1/campaigns",
                    "{\"id\":\"fz-new\",\"name\":\"New\",\"type\":\"multi_touch\",\"conversionEvents\":["
                            + list("\"placed_order\"", "{\"id\":\"clicked_email\",\"conversionWindow\":\"P1D\"}",
                            "\"site_active\"") + "],\"reentry\":\"after:P30D\",\"holdoutPercent\":10}",
                    Map.of("conversionEvents", Kind.ARRAY, "conversionEvents.*", Kind.ITEM,
                            "conversionEvents.1.conversionWindow", Kind.TEXT, "reentry", Kind.ENUM,
                            "holdoutPercent", Kind.NUMBER)),
            new Target("PATCH", "/v1/campaigns/fz-live", "{\"name\":\"Renamed\"}", Map.of("name", Kind.TEXT)),
            new Target("PATCH", "/v1/campaigns/fz-live", "{\"conversionEvents\":[" + list("\"placed_order\"",
                    "\"clicked_email\"", "\"site_active\"") + "],\"reentry\":\"never\"}",
                    Map.of("conversionEvents", Kind.ARRAY, "conversionEvents.*", Kind.ITEM, "reentry", Kind.ENUM)),
            new Target("POST", "/v1/campaigns/fz-live/enrollments",
                    "{\"enrollments\":[" + list("{\"userId\":\"fz-new-user\",\"enrolledAt\":\"" + ENROLLED + "\"}",
                            "{\"userId\":\"fz-u3\"}", "{\"userId\":\"fz-new-other\",\"enrolledAt\":\"" + ENROLLED + "\"}")
                            + "]}",
                    Map.of("enrollments", Kind.ARRAY, "enrollments.*", Kind.ITEM, "enrollments.*.userId", Kind.ID,
                            "enrollments.*.enrolledAt", Kind.TIME)),
            new Target("POST", "/v1/campaigns/fz-live/enrollments", BulkEnrollmentRoutes.NDJSON,
                    "{\"userId\":\"fz-new-user\",\"enrolledAt\":\"" + ENROLLED + "\"}\n{\"userId\":\"fz-u3\"}\n"
                            + "{\"userId\":\"fz-new-other\",\"enrolledAt\":\"" + ENROLLED + "\"}\n",
                    Map.of("*", Kind.ITEM, "*.userId", Kind.ID, "*.enrolledAt", Kind.TIME)),
            new Target("POST", "/v1/events",
                    "{\"events\":[" + list("{\"id\":\"fz-e1\",\"userId\":\"fz-u1\",\"name\":\"Placed Order\",\"time\":\""
                            + AFTER + "\",\"properties\":{\"value\":10},\"campaignId\":\"fz-live\"}",
                            "{\"id\":\"fz-e2\",\"userId\":\"fz-u3\",\"name\":\"Viewed Product\",\"time\":\"" + AFTER
                                    + "\",\"properties\":{\"value\":1},\"campaignId\":\"fz-live\"}",
                            "{\"id\":\"fz-e3\",\"userId\":\"fz-u2\",\"name\":\"Page Viewed\",\"time\":\"" + AFTER
                                    + "\",\"properties\":{\"value\":2},\"campaignId\":\"fz-draft\"}") + "]}",
                    Map.of("events", Kind.ARRAY, "events.*", Kind.ITEM, "events.*.id", Kind.ID,
                            "events.*.userId", Kind.ID, "events.*.name", Kind.TEXT, "events.*.time", Kind.TIME,
                            "events.*.properties", Kind.OBJECT, "events.*.properties.value", Kind.NUMBER,
                            "events.*.campaignId", Kind.ID)),
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
                    "{\"batch\":[" + list("{\"type\":\"track\",\"messageId\":\"fz-m4\",\"userId\":\"fz-u1\","
                            + "\"event\":\"Order Completed\"}",
                            "{\"type\":\"page\",\"messageId\":\"fz-m6\",\"userId\":\"fz-u2\"}",
                            "{\"type\":\"track\",\"messageId\":\"fz-m7\",\"userId\":\"fz-u3\",\"event\":\"Viewed Product\"}")
                            + "]}",
                    Map.of("batch", Kind.ARRAY, "batch.*", Kind.ITEM, "batch.*.type", Kind.ENUM,
                            "batch.*.messageId", Kind.ID, "batch.*.userId", Kind.ID, "batch.0.event", Kind.TEXT)),
            new Target("POST", "/v1/import/",
                    "{\"batch\":[" + list("{\"type\":\"page\",\"messageId\":\"fz-m5\",\"userId\":\"fz-u1\"}",
                            "{\"type\":\"page\",\"messageId\":\"fz-m8\",\"userId\":\"fz-u2\"}",
                            "{\"type\":\"track\",\"messageId\":\"fz-m9\",\"userId\":\"fz-u3\",\"event\":\"Placed Order\"}")
                            + "],\"sentAt\":\"" + AFTER + "\"}",
                    Map.of("batch", Kind.ARRAY, "batch.*.type", Kind.ENUM, "sentAt", Kind.TIME)));

    /** Every campaign and user the requests name, and the event names they send: what the snapshot reads. */
    private static final List<String> CAMPAIGNS = List.of("fz-live", "fz-draft", "fz-new");
    private static final List<String> USERS = List.of("fz-u1", "fz-u2", "fz-u3", "fz-new-user", "fz-new-other");
    private static final List<String> EVENT_NAMES = List.of("Placed Order", "Order Completed", "Page Viewed",
            "Viewed Product");

    /** Routes that act without reading a body: with the right key, garbage must not reach a real campaign. */
    private static final Set<String> BODYLESS_ACTIONS = Set.of("POST /v1/campaigns/{id}/launch",
            "POST /v1/campaigns/{id}/end", "DELETE /v1/campaigns/{id}/enrollments/{userId}");

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
        System.out.printf("fuzz test: seed %d (run again with -Dfuzz.seed=%d)%n", SEED, SEED);
        try {
            throwGarbage();
        } catch (AssertionError failure) {
            throw new AssertionError("seed " + SEED + " (run again with -Dfuzz.seed=" + SEED + "): "
                    + failure.getMessage(), failure);
        }
    }

    private static void throwGarbage() {
        String before = snapshot();
        Random random = new Random(SEED);
        Garbage garbage = new Garbage(random);
        int sent = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Target target : TARGETS) {
                sendRefused(target, garbage.body(), null, "garbage");
                String pattern = garbage.pick(new ArrayList<>(target.fields().keySet()));
                String field = pattern.replace("*", Integer.toString(garbage.nextInt(ITEMS)));
                JsonNode wrong = garbage.wrongFor(target.fields().get(pattern));
                String body = target.contentType().equals(BulkEnrollmentRoutes.NDJSON)
                        ? mutateLine(target.template(), field, wrong) : mutate(target.template(), field, wrong);
                String what = field + " = " + abbreviate(Garbage.json(wrong));
                Reply reply = sendRefused(target, body.getBytes(StandardCharsets.UTF_8), null, what);
                if (reply.status() == 400) {
                    String named = target.contentType().equals(BulkEnrollmentRoutes.NDJSON)
                            ? "line " + (Integer.parseInt(field.split("\\.")[0]) + 1)
                            : field.replaceAll("\\.(\\d+)", "[$1]");
                    String leaf = named.startsWith("line ") ? named : named.substring(named.lastIndexOf('.') + 1);
                    assertTrue(reply.detail().contains(leaf), "the refusal of " + target.path() + " with " + what
                            + " names " + leaf + ": " + reply.detail());
                }
                sendRefused(target, target.template().getBytes(StandardCharsets.UTF_8), garbage.header(), "a bad key");
                sent += 3;
            }
            garbageOnEveryRoute(garbage);
            String[] refusing = garbage.pick(REFUSING);
            sendRefused(new Target(refusing[0], refusing[1], "", Map.of()), garbage.body(), null, "garbage");
            probeReads(garbage);
            sent += 5;
        }
        assertEquals(before, snapshot(), sent + " refused requests changed nothing");
    }

    /**
     * Every route the router serves, found from the router itself: garbage with a bad key is 401 whatever its size
     * (the key is checked before a body is read; open routes answer without 5xx), garbage with the right key is
     * never a 5xx.
     */
    private static void garbageOnEveryRoute(Garbage garbage) {
        for (String route : service.routes()) {
            String method = route.substring(0, route.indexOf(' '));
            String template = route.substring(route.indexOf(' ') + 1);
            // Real ids, so the garbage reaches the body's checks rather than stopping at a 404.
            String path = BODYLESS_ACTIONS.contains(route) ? template.replaceAll("\\{[A-Za-z]+}", "fz-nope")
                    : template.replace("{id}", "fz-live").replace("{userId}", "fz-u1");
            byte[] body = garbage.body();
            boolean open = path.startsWith("/health/") || path.equals("/openapi.json");
            Map<String, String> badKey = Map.of("content-type", "application/json", "authorization", garbage.header());
            Reply unauthenticated = service.raw(method, path, body, badKey);
            if (open) {
                assertTrue(unauthenticated.status() < 500, route + " answered " + unauthenticated.status());
            } else {
                assertEquals(401, unauthenticated.status(), route + " with a bad key (checked before any body is read)");
                TestService.problem(401, unauthenticated);
            }
            Reply keyed = service.raw(method, path, body, Map.of("content-type", "application/json",
                    "authorization", "Bearer " + TestService.keyFor(path)));
            assertTrue(keyed.status() < 500, route + " with garbage answered " + keyed.status());
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
            assertTrue(reply.status() < 500, "GET " + path + " answered " + reply.status());
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
    private static Reply sendRefused(Target target, byte[] body, String authorization, String what) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", target.contentType());
        headers.put("authorization", authorization != null ? authorization : "Bearer " + TestService.keyFor(target.path()));
        Reply reply = service.raw(target.method(), target.path(), body, headers);
        assertTrue(reply.status() >= 400 && reply.status() < 500, target.method() + " " + target.path() + " ("
                + target.contentType() + ") with " + what + " answered " + reply.status() + ": " + reply.body());
        TestService.problem(reply.status(), reply);
        return reply;
    }

    /** NDJSON lines with the line a field path starts with (from 0) changed: the whole line, or a field in it. */
    private static String mutateLine(String template, String field, JsonNode wrong) {
        List<String> lines = new ArrayList<>(template.lines().toList());
        int line = Integer.parseInt(field.split("\\.")[0]);
        lines.set(line, field.contains(".")
                ? mutate(lines.get(line), field.substring(field.indexOf('.') + 1), wrong) : Garbage.json(wrong));
        return String.join("\n", lines) + "\n";
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

    /** What the service holds about every campaign and user the requests name, as its API shows it. */
    private static String snapshot() {
        List<String> paths = new ArrayList<>(List.of("/v1/exits?limit=1000", "/v1/campaigns", "/v1/webhook-endpoints"));
        for (String campaign : CAMPAIGNS) {
            paths.add("/v1/campaigns/" + campaign);
            paths.add("/v1/campaigns/" + campaign + "/stats");
            USERS.forEach(user -> paths.add("/v1/campaigns/" + campaign + "/enrollments/" + user));
        }
        for (String user : USERS) {
            EVENT_NAMES.forEach(name -> paths.add("/v1/users/" + user + "/performed?event=" + name.replace(" ", "%20")));
        }
        StringBuilder state = new StringBuilder();
        for (String path : paths) {
            Reply reply = service.get(path);
            state.append(path).append(' ').append(reply.status()).append(' ').append(reply.body()).append('\n');
        }
        return state.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
