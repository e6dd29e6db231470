package com.conversionrules.http;

import static com.conversionrules.http.TestService.ADMIN_KEY;
import static com.conversionrules.http.TestService.WRITE_KEY;
import static com.conversionrules.http.TestService.problem;
import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.http.TestService.Reply;
import com.conversionrules.security.KeyFile;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write keys ingest, admin keys administer; no key is 401, the wrong kind 403; health stays open. */
class AuthApiTest extends SharedServiceTest {
    private static final byte[] EVENT = "{\"id\":\"auth-1\",\"userId\":\"auth-user\",\"name\":\"Placed Order\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> JSON_TYPE = Map.of("content-type", "application/json");

    @TempDir
    Path freshDir;

    private static Map<String, String> bearer(String key) {
        return Map.of("content-type", "application/json", "authorization", "Bearer " + key);
    }

    @Test
    void withoutAKeyEveryApiRouteIs401WithAChallenge() {
        for (String[] route : new String[][] {{"GET", "/v1/campaigns"}, {"GET", "/v1/exits"},
                {"GET", "/v1/conversion-events"}, {"GET", "/v1/users/u/performed?event=x"},
                {"POST", "/v1/events"}, {"POST", "/v1/campaigns/any/enrollments"}, {"POST", "/v1/track"}}) {
            Reply reply = service.raw(route[0], route[1], route[0].equals("POST") ? EVENT : null, JSON_TYPE);
            problem(401, reply);
            assertNotNull(reply.header("www-authenticate"), route[1] + " sends a WWW-Authenticate challenge");
            assertTrue(reply.header("www-authenticate").startsWith("Bearer"), reply.header("www-authenticate"));
        }
    }

    @Test
    void anUnknownKeyIs401AndNothingIsApplied() {
        problem(401, service.raw("POST", "/v1/events", EVENT, bearer("wk_not-a-key-of-this-service")));
        problem(401, service.raw("POST", "/v1/events", EVENT, Map.of("authorization", "Bearer")));
        problem(401, service.raw("POST", "/v1/events", EVENT, Map.of("authorization", "Token " + WRITE_KEY)));
        problem(401, service.raw("GET", "/v1/campaigns", null, bearer(ADMIN_KEY + "x")));
        assertEquals(0, expect(200, service.get("/v1/users/auth-user/performed?event=Placed%20Order")).body()
                .path("count").asInt());
    }

    @Test
    void aWriteKeyCannotAdministerAndAnAdminKeyCannotIngest() {
        Reply ingest = service.raw("POST", "/v1/events", EVENT, bearer(ADMIN_KEY));
        problem(403, ingest);
        TestService.assertDetailContains(ingest, "write key");
        Reply admin = service.raw("GET", "/v1/campaigns", null, bearer(WRITE_KEY));
        problem(403, admin);
        TestService.assertDetailContains(admin, "admin key");
        problem(403, service.raw("POST", "/v1/campaigns", "{}".getBytes(StandardCharsets.UTF_8), bearer(WRITE_KEY)));
        problem(403, service.raw("GET", "/v1/exits", null, bearer(WRITE_KEY)));
        assertEquals(0, expect(200, service.get("/v1/users/auth-user/performed?event=Placed%20Order")).body()
                .path("count").asInt());
    }

    @Test
    void theRightKeyOfEachKindIsLetThrough() {
        expect(200, service.raw("POST", "/v1/events", "{\"id\":\"auth-2\",\"userId\":\"auth-ok\",\"name\":\"Clicked\"}"
                .getBytes(StandardCharsets.UTF_8), bearer(WRITE_KEY)));
        expect(200, service.raw("GET", "/v1/campaigns", null, bearer(ADMIN_KEY)));
        // Segment's convention: Basic auth with the write key as user and an empty password.
        String basic = Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        expect(200, service.raw("POST", "/v1/track", ("{\"messageId\":\"auth-3\",\"userId\":\"auth-ok\","
                + "\"event\":\"Clicked\"}").getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/json", "authorization", "Basic " + basic)));
        assertEquals(2, expect(200, service.get("/v1/users/auth-ok/performed?event=Clicked")).body()
                .path("count").asInt());
    }

    @Test
    void theSegmentRoutesAlsoOfferBasicAuth() {
        Reply reply = service.raw("POST", "/v1/batch", "{\"batch\":[]}".getBytes(StandardCharsets.UTF_8), JSON_TYPE);
        problem(401, reply);
        assertTrue(reply.header("www-authenticate").contains("Basic"), reply.header("www-authenticate"));
        Reply unreadable = service.raw("POST", "/v1/track", "not json".getBytes(StandardCharsets.UTF_8), JSON_TYPE);
        problem(401, unreadable);
    }

    @Test
    void basicAuthIsOnlyForTheWriteRoutes() {
        String basic = Base64.getEncoder().encodeToString((ADMIN_KEY + ":").getBytes(StandardCharsets.UTF_8));
        Reply reply = service.raw("GET", "/v1/campaigns", null, Map.of("authorization", "Basic " + basic));
        problem(401, reply);
        TestService.assertDetailContains(reply, "Basic auth is for the write key", "Authorization: Bearer <key>");
    }

    @Test
    void healthStaysOpen() {
        expect(200, service.raw("GET", "/health/live", null, Map.of()));
        expect(200, service.raw("GET", "/health/ready", null, Map.of()));
    }

    @Test
    void aFreshDataDirGetsGeneratedKeysThatSurviveARestart() throws Exception {
        try (TestService fresh = TestService.start(freshDir, Map.of(Config.WRITE_KEYS, "", Config.ADMIN_KEYS, ""))) {
            Path file = freshDir.resolve(KeyFile.FILE_NAME);
            JsonNode keys = TestService.JSON.readTree(Files.readString(file));
            String write = keys.path("writeKeys").get(0).asText();
            String admin = keys.path("adminKeys").get(0).asText();
            assertTrue(write.startsWith("wk_") && admin.startsWith("ak_"), keys.toString());
            problem(401, fresh.get("/v1/campaigns"));
            expect(200, fresh.raw("GET", "/v1/campaigns", null, bearer(admin)));

            fresh.restart();

            assertEquals(keys, TestService.JSON.readTree(Files.readString(file)));
            expect(200, fresh.raw("GET", "/v1/campaigns", null, bearer(admin)));
            expect(200, fresh.raw("POST", "/v1/events", EVENT, bearer(write)));
            problem(403, fresh.raw("POST", "/v1/events", EVENT, bearer(admin)));
        }
    }
}
