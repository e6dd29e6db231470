package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP and JSON as a client expects them: a newline after JSON, 405 with Allow, strict JSON and UTF-8. */
class ProtocolTest extends SharedServiceTest {
    private static final Map<String, String> WRITE = Map.of("authorization", "Bearer " + TestService.WRITE_KEY,
            "content-type", "application/json");
    private static final Map<String, String> ADMIN = Map.of("authorization", "Bearer " + TestService.ADMIN_KEY);

    @Test
    void everyJsonAnswerEndsWithANewline() {
        List<Reply> replies = List.of(
                service.get("/v1/campaigns"),
                service.get("/v1/no-such-route"),
                service.post("/v1/events", "{\"id\":\"nl-1\",\"userId\":\"nl-u\",\"name\":\"Placed Order\"}"),
                service.post("/v1/events", "not json"),
                service.raw("GET", "/health/live", null, Map.of()),
                service.raw("GET", "/openapi.json", null, Map.of()),
                service.raw("GET", "/v1/campaigns", null, Map.of()));
        for (Reply reply : replies) {
            assertTrue(reply.contentType().contains("json"), reply.contentType());
            assertTrue(reply.text().endsWith("}\n"), "ends with a newline: " + reply.text());
        }
    }

    @Test
    void aWrongMethodIs405WithAllowAndTheMethodToUse() {
        Reply put = service.raw("PUT", "/v1/events", "{}".getBytes(StandardCharsets.UTF_8), WRITE);
        problem(405, put);
        assertEquals("POST", put.header("allow"));
        assertDetailContains(put, "PUT is not supported on /v1/events", "use POST");

        Reply delete = service.raw("DELETE", "/v1/campaigns", null, ADMIN);
        problem(405, delete);
        assertEquals("GET, POST", delete.header("allow"));
        assertDetailContains(delete, "use GET or POST");

        Reply launch = service.raw("GET", "/v1/campaigns/any-id/launch", null, ADMIN);
        problem(405, launch);
        assertEquals("POST", launch.header("allow"));

        assertEquals("POST", service.raw("GET", "/v1/import/", null, WRITE).header("allow"),
                "a trailing slash is the same route");
    }

    @Test
    void aKeyTwiceInOneObjectIsRefusedAndNothingIsApplied() {
        Reply reply = service.post("/v1/events",
                "{\"id\":\"dup-1\",\"userId\":\"dup-u\",\"name\":\"Placed Order\",\"name\":\"Active on Site\"}");
        problem(400, reply);
        assertDetailContains(reply, "names the field 'name' twice");
        Reply nested = service.post("/v1/events", "{\"events\":[{\"id\":\"dup-2\",\"userId\":\"dup-u\","
                + "\"name\":\"Placed Order\",\"properties\":{\"value\":1,\"value\":1000}}]}");
        problem(400, nested);
        assertDetailContains(nested, "'value' twice");
        problem(400, service.post("/v1/track",
                "{\"messageId\":\"dup-3\",\"userId\":\"dup-u\",\"userId\":\"other\",\"event\":\"Placed Order\"}"));
        assertEquals(0, expect(200, service.get("/v1/users/dup-u/performed?event=Placed%20Order")).body()
                .path("count").asInt());
    }

    @Test
    void utf8ThatIsNotWellFormedIsRefused() {
        byte[] overlongSlash = {(byte) 0xc0, (byte) 0xaf};
        byte[] encodedSurrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
        byte[] pastUnicode = {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
        for (byte[] bad : List.of(overlongSlash, encodedSurrogate, pastUnicode)) {
            Reply reply = service.raw("POST", "/v1/events", eventNamed("utf-bad", bad), WRITE);
            problem(400, reply);
            int nameStarts = "{\"id\":\"utf-bad\",\"userId\":\"utf-u\",\"name\":\"".length();
            assertDetailContains(reply, "not valid UTF-8 at byte " + nameStarts);
        }
        assertEquals(0, expect(200, service.get("/v1/users/utf-u/performed?event=Placed%20Order")).body()
                .path("count").asInt());

        byte[] zoeAndARocket = "Zoë \uD83D\uDE80".getBytes(StandardCharsets.UTF_8);
        Reply fine = service.raw("POST", "/v1/events", eventNamed("utf-good", zoeAndARocket), WRITE);
        expect(200, fine);
        JsonNode performed = expect(200, service.get("/v1/users/utf-u/performed?event=Zo%C3%AB%20%F0%9F%9A%80"))
                .body();
        assertEquals(1, performed.path("count").asInt(), performed.toString());
    }

    @Test
    void aBulkEnrollmentLineWithAKeyTwiceNamesTheLine() {
        service.liveCampaign("proto-bulk", "multi_touch", "placed_order");
        Reply reply = service.postNdjson("/v1/campaigns/proto-bulk/enrollments",
                "{\"userId\":\"b1\"}\n{\"userId\":\"b2\",\"userId\":\"b3\"}\n");
        problem(400, reply);
        assertDetailContains(reply, "line 2 names the field 'userId' twice");
    }

    @Test
    void anExitAlwaysCarriesValueNullWhenTheEventHadNone() {
        service.liveCampaign("proto-value", "multi_touch", "site_active");
        service.enroll("proto-value", "pv-ann", "2026-01-01T00:00:00Z");
        service.event("pv-1", "pv-ann", "Active on Site", "2026-01-02T00:00:00Z", null);
        JsonNode exit = expect(200, service.get("/v1/campaigns/proto-value/enrollments/pv-ann")).body().path("exit");
        assertTrue(exit.has("value") && exit.get("value").isNull(), "value is present and null: " + exit);
    }

    /** {@code {"id":"<id>","userId":"utf-u","name":"<name bytes>"}}. */
    private static byte[] eventNamed(String id, byte[] name) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("{\"id\":\"" + id + "\",\"userId\":\"utf-u\",\"name\":\"").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(name);
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }
}
