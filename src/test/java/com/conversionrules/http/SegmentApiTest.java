package com.conversionrules.http;

import static com.conversionrules.http.TestService.WRITE_KEY;
import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.Callback;
import com.segment.analytics.messages.Message;
import com.segment.analytics.messages.TrackMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Segment's tracking API on the real service, and the real Segment Java client sending to it. */
class SegmentApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";

    private static int count(String userId, String event) {
        return expect(200, service.get("/v1/users/" + userId + "/performed?event="
                + event.replace(" ", "%20"))).body().path("count").asInt();
    }

    private static JsonNode success(Reply reply) {
        JsonNode body = expect(200, reply).body();
        assertTrue(body.path("success").asBoolean(), "Segment's success flag: " + body);
        return body;
    }

    private static void refused(Reply reply, String field) {
        problem(400, reply);
        assertDetailContains(reply, field);
    }

    @Test
    void theSegmentJavaClientConvertsAnEnrolledUserWithAnOrder() throws Exception {
        service.liveCampaign("seg-orders", "multi_touch", "placed_order");
        service.enroll("seg-orders", "seg-ann", ENROLLED);
        CountDownLatch sent = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Analytics analytics = Analytics.builder(WRITE_KEY)
                .endpoint("http://127.0.0.1:" + service.uri("/").getPort())
                .callback(new Callback() {
                    @Override
                    public void success(Message message) {
                        sent.countDown();
                    }

                    @Override
                    public void failure(Message message, Throwable throwable) {
                        failure.set(throwable);
                        sent.countDown();
                    }
                })
                .build();
        try {
            analytics.enqueue(TrackMessage.builder("Order Completed")
                    .userId("seg-ann")
                    .messageId("seg-order-1")
                    .timestamp(Date.from(Instant.parse(AFTER)))
                    .properties(Map.of("total", 49.5, "order_id", "o-1")));
            analytics.flush();
            assertTrue(sent.await(30, TimeUnit.SECONDS), "the client reported the upload within 30 s");
        } finally {
            analytics.shutdown();
        }
        assertEquals(null, failure.get(), "the Segment client's upload succeeded");

        JsonNode enrollment = expect(200, service.get("/v1/campaigns/seg-orders/enrollments/seg-ann")).body();
        assertEquals("converted", enrollment.path("status").asText());
        assertEquals("seg-order-1", enrollment.path("exit").path("eventId").asText());
        assertEquals(49.5, expect(200, service.get("/v1/campaigns/seg-orders/stats")).body().path("revenue").asDouble());
    }

    @Test
    void aPageCallIsSiteActivity() {
        service.liveCampaign("seg-site", "multi_touch", "site_active");
        service.enroll("seg-site", "seg-bob", ENROLLED);
        JsonNode body = success(service.post("/v1/page", "{\"messageId\":\"seg-page-1\",\"userId\":\"seg-bob\","
                + "\"name\":\"Home\",\"timestamp\":\"" + AFTER + "\",\"properties\":{\"path\":\"/\"}}"));
        assertEquals(1, body.path("accepted").asInt());
        assertEquals("converted", service.status("seg-site", "seg-bob"));
        assertEquals(1, count("seg-bob", "Page Viewed"));
    }

    @Test
    void aBatchMixesCallsAndCountsWhatItIgnores() {
        JsonNode body = success(service.post("/v1/batch", """
                {"batch":[
                  {"type":"track","messageId":"seg-b1","userId":"seg-cy","event":"Clicked Email","timestamp":"%s"},
                  {"type":"page","messageId":"seg-b2","userId":"seg-cy"},
                  {"type":"identify","messageId":"seg-b3","userId":"seg-cy","traits":{"email":"cy@example.com"}},
                  {"type":"track","messageId":"seg-b4","anonymousId":"anon-7","event":"Order Completed"}
                ]}""".formatted(AFTER)));
        assertEquals(2, body.path("accepted").asInt());
        assertEquals(2, body.path("ignored").asInt());
        assertEquals(1, count("seg-cy", "Clicked Email"));
        assertEquals(1, count("seg-cy", "Page Viewed"));

        JsonNode again = success(service.post("/v1/import", "{\"batch\":[{\"type\":\"track\",\"messageId\":\"seg-b1\","
                + "\"userId\":\"seg-cy\",\"event\":\"Clicked Email\"}]}"));
        assertEquals(1, again.path("duplicates").asInt(), "messageId is the dedupe key: " + again);
        assertEquals(1, count("seg-cy", "Clicked Email"));
    }

    @Test
    void identifyAndAnonymousCallsAreAcceptedAndChangeNothing() {
        service.liveCampaign("seg-quiet", "multi_touch", "site_active");
        service.enroll("seg-quiet", "seg-dee", ENROLLED);
        service.enroll("seg-quiet", "seg-anon-8", ENROLLED);
        JsonNode feed = expect(200, service.get("/v1/exits?limit=1000")).body();

        JsonNode identify = success(service.post("/v1/identify", "{\"messageId\":\"seg-id-1\",\"userId\":\"seg-dee\","
                + "\"timestamp\":\"" + AFTER + "\",\"traits\":{\"name\":\"Dee\"}}"));
        assertEquals(0, identify.path("accepted").asInt(), identify.toString());
        assertEquals(1, identify.path("ignored").asInt(), identify.toString());
        JsonNode anonymous = success(service.post("/v1/page", "{\"messageId\":\"seg-anon-1\","
                + "\"anonymousId\":\"seg-anon-8\",\"timestamp\":\"" + AFTER + "\"}"));
        assertEquals(0, anonymous.path("accepted").asInt(), anonymous.toString());
        assertEquals(1, anonymous.path("ignored").asInt(), anonymous.toString());

        assertEquals("active", service.status("seg-quiet", "seg-dee"));
        assertEquals("active", service.status("seg-quiet", "seg-anon-8"), "an anonymous id is not a user id");
        assertEquals(feed, expect(200, service.get("/v1/exits?limit=1000")).body(), "no exit");
        // Nothing was stored under their message ids: the same ids in real calls are new, and convert.
        assertEquals(1, success(service.post("/v1/page", "{\"messageId\":\"seg-id-1\",\"userId\":\"seg-dee\","
                + "\"timestamp\":\"" + AFTER + "\"}")).path("accepted").asInt());
        assertEquals(1, success(service.post("/v1/page", "{\"messageId\":\"seg-anon-1\",\"userId\":\"seg-anon-8\","
                + "\"timestamp\":\"" + AFTER + "\"}")).path("accepted").asInt());
        assertEquals("converted", service.status("seg-quiet", "seg-dee"));
        assertEquals("converted", service.status("seg-quiet", "seg-anon-8"));
    }

    @Test
    void theWriteKeyMayComeInTheBodyAndTheImportRouteTakesATrailingSlash() {
        String body = "{\"writeKey\":\"" + WRITE_KEY + "\",\"batch\":[{\"type\":\"track\",\"messageId\":\"seg-k1\","
                + "\"userId\":\"seg-eve\",\"event\":\"Opened Email\"}]}";
        success(service.raw("POST", "/v1/import/", body.getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/json")));
        assertEquals(1, count("seg-eve", "Opened Email"));

        Reply wrong = service.raw("POST", "/v1/batch", body.replace(WRITE_KEY, "wk_wrong-key-000000000")
                .getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"));
        problem(401, wrong);
        Reply admin = service.raw("POST", "/v1/batch", body.replace(WRITE_KEY, TestService.ADMIN_KEY)
                .getBytes(StandardCharsets.UTF_8), Map.of("content-type", "application/json"));
        problem(403, admin);
    }

    @Test
    void oneBadMessageRefusesTheBatchAndNamesTheField() {
        Reply reply = service.post("/v1/batch", """
                {"batch":[
                  {"type":"track","messageId":"seg-bad-1","userId":"seg-fay","event":"Order Completed"},
                  {"type":"track","messageId":"seg-bad-2","userId":"seg-fay","event":"Order Completed","timestamp":12}
                ]}""");
        problem(400, reply);
        assertDetailContains(reply, "batch[1].timestamp");
        assertEquals(0, count("seg-fay", "Order Completed"));

        refused(service.post("/v1/track", "{\"messageId\":\"m\",\"event\":\"X\"}"), "userId");
        refused(service.post("/v1/track", "{\"userId\":\"seg-fay\",\"event\":\"X\"}"), "messageId");
        refused(service.post("/v1/track", "{\"messageId\":\"m\",\"userId\":\"seg-fay\"}"), "event");
        refused(service.post("/v1/track", "{\"messageId\":\"m\",\"userId\":\"seg fay\",\"event\":\"X\"}"),
                "userId");
        refused(service.post("/v1/batch", "{\"batch\":[{\"type\":\"launch\",\"messageId\":\"m\","
                + "\"userId\":\"u\"}]}"), "batch[0].type");
        refused(service.post("/v1/batch", "{\"batch\":{}}"), "batch");
        refused(service.post("/v1/track", "{\"type\":\"page\",\"messageId\":\"m\",\"userId\":\"u\","
                + "\"event\":\"X\"}"), "type");
        refused(service.post("/v1/identify", "{\"messageId\":\"m\",\"userId\":\"u\",\"timestamp\":\"2099-01-01T00:00:00Z\"}"),
                "timestamp");
        refused(service.post("/v1/track", "{\"messageId\":\"m\",\"anonymousId\":\"a\",\"event\":\"X\","
                + "\"properties\":[]}"), "properties");
        assertEquals(0, count("seg-fay", "X"));
    }

    @Test
    void segmentsSizeLimitsApplyPerCallAndPerBatch() {
        String big = "x".repeat(33 * 1024);
        Reply call = service.post("/v1/track", "{\"messageId\":\"seg-big-1\",\"userId\":\"seg-gus\","
                + "\"event\":\"Order Completed\",\"properties\":{\"note\":\"" + big + "\"}}");
        problem(413, call);
        assertDetailContains(call, "32768");

        Reply oneTooBig = service.post("/v1/batch", "{\"batch\":[{\"type\":\"track\",\"messageId\":\"seg-big-2\","
                + "\"userId\":\"seg-gus\",\"event\":\"Order Completed\"},{\"type\":\"track\",\"messageId\":\"seg-big-3\","
                + "\"userId\":\"seg-gus\",\"event\":\"Order Completed\",\"properties\":{\"note\":\"" + big + "\"}}]}");
        problem(413, oneTooBig);
        assertDetailContains(oneTooBig, "batch[1]");

        StringBuilder batch = new StringBuilder("{\"batch\":[");
        String note = "y".repeat(20 * 1024);
        for (int i = 0; i < 26; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"messageId\":\"seg-many-").append(i)
                    .append("\",\"userId\":\"seg-gus\",\"event\":\"Order Completed\",\"properties\":{\"note\":\"")
                    .append(note).append("\"}}");
        }
        Reply whole = service.post("/v1/batch", batch.append("]}").toString());
        problem(413, whole);
        assertDetailContains(whole, "512000");
        assertEquals(0, count("seg-gus", "Order Completed"));
    }
}
