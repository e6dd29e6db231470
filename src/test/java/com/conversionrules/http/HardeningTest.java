package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Edge inputs get a 4xx problem that names what to fix, and change nothing. */
class HardeningTest extends SharedServiceTest {
    private static void refused(int status, Reply reply, String... fragments) {
        problem(status, reply);
        assertDetailContains(reply, fragments);
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedWhereverTextIsStored() {
        refused(400, service.post("/v1/campaigns",
                "{\"id\":\"h-1\",\"name\":\"Sale \\ud800\",\"type\":\"multi_touch\"}"), "name", "Unicode");
        problem(404, service.get("/v1/campaigns/h-1"));
        refused(400, service.post("/v1/events", "{\"id\":\"h-e1\",\"userId\":\"h-u\",\"name\":\"\\udc00\"}"),
                "name", "Unicode");
        refused(400, service.post("/v1/events", "{\"id\":\"h-e2\",\"userId\":\"h-u\",\"name\":\"Clicked\","
                + "\"properties\":{\"k\\ud800\":1}}"), "properties");
        assertEquals(0, expect(200, service.get("/v1/users/h-u/performed?event=Clicked")).body().path("count").asInt());
    }

    @Test
    void aMalformedPercentEncodingIsAProblemNotAStackTrace() throws Exception {
        for (String path : new String[] {"/v1/campaigns/%zz", "/v1/campaigns/ab%", "/v1/users/%e0%80/performed?event=x",
            "/v1/exits?after=%zz"}) {
            for (String key : new String[] {"Authorization: Bearer " + TestService.ADMIN_KEY + "\r\n", ""}) {
                String answer = rawHttp("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + key
                        + "Connection: close\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 40"), path + ": " + answer);
                assertTrue(answer.contains("application/problem+json"), path + ": " + answer);
            }
        }
        String answer = rawHttp("GET /v1/campaigns/%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestService.ADMIN_KEY + "\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("percent-encoding"), answer);
    }

    @Test
    void numbersTooLargeToStoreAreRefusedNamingTheField() {
        refused(400, service.post("/v1/events", "{\"id\":\"h-n1\",\"userId\":\"h-u4\",\"name\":\"Clicked\","
                + "\"properties\":{\"score\":1e400}}"), "properties", "too large");
        refused(400, service.post("/v1/events", "{\"id\":\"h-n2\",\"userId\":\"h-u4\",\"name\":\"Placed Order\","
                + "\"properties\":{\"value\":1.7e308}}"), "properties.value", "1e12");
        assertEquals(0, expect(200, service.get("/v1/users/h-u4/performed?event=Clicked")).body().path("count").asInt());
        assertEquals(0, expect(200, service.get("/v1/users/h-u4/performed?event=Placed%20Order")).body()
                .path("count").asInt());
    }

    @Test
    void propertiesAreBoundedInSizeAndDepth() {
        String deep = "{\"a\":".repeat(40) + "1" + "}".repeat(40);
        refused(400, service.post("/v1/events", "{\"events\":[{\"id\":\"h-e3\",\"userId\":\"h-u2\",\"name\":\"Clicked\","
                + "\"properties\":" + deep + "}]}"), "events[0].properties", "32 levels");
        refused(400, service.post("/v1/events", "{\"id\":\"h-e4\",\"userId\":\"h-u2\",\"name\":\"Clicked\","
                + "\"properties\":{\"blob\":\"" + "z".repeat(40_000) + "\"}}"), "properties", "32768");
        assertEquals(0, expect(200, service.get("/v1/users/h-u2/performed?event=Clicked")).body().path("count").asInt());
    }

    @Test
    void enrollmentsCannotStartFarInTheFuture() {
        service.liveCampaign("h-live", "multi_touch", "placed_order");
        refused(400, service.post("/v1/campaigns/h-live/enrollments",
                "{\"userId\":\"h-u3\",\"enrolledAt\":\"2099-01-01T00:00:00Z\"}"), "enrolledAt", "future");
        problem(404, service.get("/v1/campaigns/h-live/enrollments/h-u3"));
    }

    @Test
    void campaignBodiesHaveTheirOwnSmallLimit() {
        refused(413, service.post("/v1/campaigns", "{\"id\":\"h-2\",\"name\":\"" + "n".repeat(20_000)
                + "\",\"type\":\"flow\"}"), "16384");
        problem(404, service.get("/v1/campaigns/h-2"));
    }

    @Test
    void aCampaignIdInThePathMustBeAnId() {
        refused(400, service.get("/v1/campaigns/" + "c".repeat(300)), "campaign id");
        refused(400, service.get("/v1/campaigns/a%20b/stats"), "campaign id");
        refused(400, service.post("/v1/campaigns/%C3%BC/enrollments", "{\"userId\":\"h-u4\"}"), "campaign id");
    }

    @Test
    void aTooLongEventNameInTheQueryIsRefused() {
        refused(400, service.get("/v1/users/h-u/performed?event=" + "e".repeat(600)), "event", "512");
    }

    @Test
    void requestsTheHttpDecoderRefusesStillGetAProblem() throws Exception {
        String longLine = rawHttp("GET /v1/campaigns/" + "c".repeat(5_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(longLine.matches("(?s)HTTP/1\\.[01] 414 .*"), longLine);
        assertTrue(longLine.toLowerCase().contains("content-type: application/problem+json"), longLine);
        assertTrue(longLine.contains("4096"), longLine);
        String bigHeaders = rawHttp("GET /v1/campaigns HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(9_000)
                + "\r\n\r\n");
        assertTrue(bigHeaders.matches("(?s)HTTP/1\\.[01] 431 .*"), bigHeaders);
        assertTrue(bigHeaders.contains("\"status\":431"), bigHeaders);
    }

    /**
     * Cleartext HTTP/2 (h2c) is off: an upgrade request is answered in HTTP/1.1, so the limits above
     * apply to every request. (With h2c on, Vert.x also raced its connection metrics at start-up: a
     * connection accepted then could get no answer at all.)
     */
    @Test
    void anH2cUpgradeRequestIsAnsweredInHttp11() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", service.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 200 OK", statusLine);
        }
    }

    /** Sends bytes as written over plain HTTP/1.1 (no client normalising them) and reads the answer. */
    private static String rawHttp(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", service.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
