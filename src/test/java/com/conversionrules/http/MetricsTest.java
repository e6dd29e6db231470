package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** GET /metrics in Prometheus format, moving with what the service does. */
class MetricsTest extends SharedServiceTest {

    private static String scrape() {
        TestService.Reply reply = expect(200, service.get("/metrics"));
        assertTrue(reply.contentType().startsWith("text/plain"), reply.contentType());
        return reply.body().asText();
    }

    @Test
    void metricsNeedAnAdminKey() {
        assertEquals(401, service.raw("GET", "/metrics", null, Map.of()).status());
        assertEquals(403, service.raw("GET", "/metrics", null,
                Map.of("authorization", "Bearer " + TestService.WRITE_KEY)).status());
    }

    /** The value of a sample, 0 when it is not there yet. */
    private static double value(String scrape, String sample) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.E+-]+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void countersFollowEventsExitsRulesAndRejections() {
        String before = scrape();
        service.liveCampaign("metered", "multi_touch", "placed_order");
        service.enroll("metered", "m1", "2026-11-01T10:00:00Z");
        service.event("m-view", "m1", "Viewed Product", "2026-11-02T10:00:00Z", null);
        service.event("m-order", "m1", "Placed Order", "2026-11-02T11:00:00Z", null);
        service.event("m-order", "m1", "Placed Order", "2026-11-02T11:00:00Z", null);
        expect(400, service.post("/v1/events", "{\"id\":\"bad\"}"));

        String after = scrape();

        assertEquals(3, value(after, "conversion_events_received_total") - value(before, "conversion_events_received_total"));
        assertEquals(2, value(after, "conversion_events_accepted_total") - value(before, "conversion_events_accepted_total"));
        assertEquals(1, value(after, "conversion_events_duplicate_total") - value(before, "conversion_events_duplicate_total"));
        assertEquals(1, value(after, "conversion_event_requests_rejected_total")
                - value(before, "conversion_event_requests_rejected_total"));
        assertEquals(1, value(after,
                "conversion_exits_total{campaign=\"metered\",conversion_event=\"placed_order\",reason=\"converted\"}"));
        assertTrue(value(after, "conversion_rule_fires_total{rule=\"An order converts the user out of every live "
                + "campaign waiting for an order\"}") >= 1, after);
        assertTrue(after.contains("conversion_shard_queue_depth{shard=\"shard-0\"}"), "queue depth per shard");
        assertTrue(value(after, "conversion_store_commit_seconds_count") > 0, "store commit latency");
        assertTrue(after.contains("conversion_webhook_attempts_total"), "webhook meters");
        assertTrue(after.contains("jvm_memory_used_bytes"), "JVM meters");
        assertTrue(after.contains("vertx_http_server_requests_total"), "HTTP server meters");
    }
}
