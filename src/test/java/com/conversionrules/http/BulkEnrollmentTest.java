package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolling an audience in one streaming NDJSON request. */
class BulkEnrollmentTest extends SharedServiceTest {
    private static final int USERS = 25_000;

    private static String lines(String campaign, int users) {
        StringBuilder body = new StringBuilder();
        for (int u = 0; u < users; u++) {
            body.append("{\"userId\":\"").append(campaign).append("-u").append(u)
                    .append("\",\"enrolledAt\":\"2026-11-01T10:00:00Z\"}\n");
        }
        return body.toString();
    }

    private static JsonNode stats(String campaign) {
        return expect(200, service.get("/v1/campaigns/" + campaign + "/stats")).body();
    }

    @Test
    void aWholeAudienceInOneRequestIsDurableAndLive() {
        service.liveCampaign("bulk", "multi_touch", "placed_order");
        String body = lines("bulk", USERS) + "\n{\"userId\":\"bulk-u7\"}\n";

        JsonNode outcome = expect(200, service.postNdjson("/v1/campaigns/bulk/enrollments", body)).body();

        assertEquals(USERS, outcome.path("enrolled").asInt());
        assertEquals(1, outcome.path("alreadyActive").asInt());
        assertEquals(USERS + 1, outcome.path("lines").asInt());
        assertEquals(USERS, stats("bulk").path("active").asInt());
        service.event("bulk-order", "bulk-u24999", "Placed Order", "2026-11-02T10:00:00Z", null);
        assertEquals("converted", service.status("bulk", "bulk-u24999"));
    }

    @Test
    void aFileLargerThanTheShardsRoomWaitsForRoomAndEnrollsEveryone(@TempDir Path dir) throws Exception {
        // One shard with room for one chunk: the chunks after it are refused as too busy and retried.
        try (TestService small = TestService.start(dir, Map.of(Config.SHARDS, "1", Config.SHARD_QUEUE, "12000"))) {
            small.liveCampaign("bulk-small", "multi_touch", "placed_order");
            JsonNode outcome = expect(200, small.postNdjson("/v1/campaigns/bulk-small/enrollments",
                    lines("bulk-small", 45_000))).body();
            assertEquals(45_000, outcome.path("enrolled").asInt());
            assertEquals(45_000, expect(200, small.get("/v1/campaigns/bulk-small/stats")).body().path("active").asInt());
        }
    }

    @Test
    void oneBadLineRefusesTheWholeFileNamingTheLine() {
        service.liveCampaign("bulk-bad", "multi_touch", "placed_order");
        String body = lines("bulk-bad", 20_000) + "{\"user\":\"x\"}\n" + lines("bulk-bad-more", 10);

        TestService.Reply reply = service.postNdjson("/v1/campaigns/bulk-bad/enrollments", body);

        problem(400, reply);
        assertDetailContains(reply, "line 20001");
        assertEquals(0, stats("bulk-bad").path("enrolled").asInt(), "nothing applied");
    }

    @Test
    void malformedLinesAndTooLongLinesAreNamed() {
        service.liveCampaign("bulk-lines", "multi_touch", "placed_order");
        TestService.Reply notJson = service.postNdjson("/v1/campaigns/bulk-lines/enrollments", "{\"userId\":\"a\"}\n{oops\n");
        problem(400, notJson);
        assertDetailContains(notJson, "line 2 is not valid JSON");
        TestService.Reply badTime = service.postNdjson("/v1/campaigns/bulk-lines/enrollments",
                "{\"userId\":\"a\",\"enrolledAt\":\"yesterday\"}\n");
        problem(400, badTime);
        assertDetailContains(badTime, "line 1: enrolledAt");
        TestService.Reply tooLong = service.postNdjson("/v1/campaigns/bulk-lines/enrollments",
                "{\"userId\":\"" + "x".repeat(5_000) + "\"}\n");
        problem(400, tooLong);
        assertDetailContains(tooLong, "line 1 is longer than 4096 bytes");
        // As on the JSON route: an enrollment more than a day ahead would never meet an event (found by FuzzTest).
        TestService.Reply future = service.postNdjson("/v1/campaigns/bulk-lines/enrollments",
                "{\"userId\":\"a\"}\n{\"userId\":\"b\",\"enrolledAt\":\"2099-01-01T00:00:00Z\"}\n");
        problem(400, future);
        assertDetailContains(future, "line 2: enrolledAt is more than a day in the future");
        problem(400, service.postNdjson("/v1/campaigns/bulk-lines/enrollments", "\n\n"));
        assertEquals(0, stats("bulk-lines").path("enrolled").asInt(), "nothing applied");
    }

    @Test
    void aClientThatAsksBeforeSendingItsBodyIsToldToGoOnOrRefusedUnread() throws IOException {
        service.liveCampaign("bulk-expect", "multi_touch", "placed_order");
        byte[] body = "{\"userId\":\"asked-first\"}\n".getBytes(StandardCharsets.UTF_8);
        // curl sends Expect: 100-continue for a body past 1 MB and holds the body back until a 100 or
        // a second has passed: without the 100, every audience upload waited that second.
        try (Socket socket = askToSend("/v1/campaigns/bulk-expect/enrollments", body.length)) {
            assertTrue(readHead(socket).startsWith("HTTP/1.1 100 Continue"), "the server asks for the body");
            socket.getOutputStream().write(body);
            assertTrue(readHead(socket).startsWith("HTTP/1.1 200"));
        }
        assertEquals("active", service.status("bulk-expect", "asked-first"));
        try (Socket socket = askToSend("/v1/campaigns/nope/enrollments", body.length)) {
            assertTrue(readHead(socket).startsWith("HTTP/1.1 404"), "refused before the body is sent");
        }
    }

    private static Socket askToSend(String path, int contentLength) throws IOException {
        Socket socket = new Socket("127.0.0.1", service.port());
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/x-ndjson\r\nAuthorization: Bearer " + TestService.keyFor(path) + "\r\n"
                + "Content-Length: " + contentLength + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        return socket;
    }

    /** An answer's status line and headers; a missing answer fails at the socket's timeout. */
    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void onlyLiveCampaignsTakeABulkEnrollment() {
        expect(201, service.post("/v1/campaigns",
                "{\"id\":\"bulk-draft\",\"name\":\"d\",\"type\":\"multi_touch\",\"conversionEvent\":\"none\"}"));
        problem(409, service.postNdjson("/v1/campaigns/bulk-draft/enrollments", lines("bulk-draft", 3)));
        problem(404, service.postNdjson("/v1/campaigns/nope/enrollments", lines("nope", 3)));
    }
}
