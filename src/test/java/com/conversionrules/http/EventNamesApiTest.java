package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A typo in an event name is accepted and made visible: in the answer, in GET /v1/event-names, in a metric. */
class EventNamesApiTest extends SharedServiceTest {

    private static JsonNode name(String name) {
        for (JsonNode entry : expect(200, service.get("/v1/event-names")).body().path("names")) {
            if (entry.path("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no " + name + " in the report");
    }

    private static double metric(String sample) {
        String scrape = expect(200, service.get("/metrics")).body().asText();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.E+-]+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void aMistypedNameIsAcceptedAndAnsweredAsUnrecognizedWithASuggestion() {
        service.liveCampaign("names-1", "multi_touch", "placed_order");
        service.enroll("names-1", "names-ann", "2026-01-01T00:00:00Z");
        JsonNode answer = expect(200, service.post("/v1/events", "{\"events\":["
                + "{\"id\":\"n-1\",\"userId\":\"names-ann\",\"name\":\"Placed order\",\"time\":\"2026-01-02T00:00:00Z\"},"
                + "{\"id\":\"n-2\",\"userId\":\"names-ann\",\"name\":\"placed_order\",\"time\":\"2026-01-02T00:00:00Z\"},"
                + "{\"id\":\"n-3\",\"userId\":\"names-ann\",\"name\":\"Placed order\",\"time\":\"2026-01-02T00:00:00Z\"}]}"))
                .body();
        assertEquals(3, answer.path("accepted").asInt(), "unknown names are still accepted: " + answer);
        assertEquals("[{\"name\":\"Placed order\",\"events\":2,\"didYouMean\":\"Placed Order\"},"
                + "{\"name\":\"placed_order\",\"events\":1,\"didYouMean\":\"Placed Order\"}]",
                answer.path("unrecognized").toString());
        assertEquals("active", service.status("names-1", "names-ann"), "and convert nobody");
        assertEquals(2, expect(200, service.get("/v1/users/names-ann/performed?event=Placed%20order")).body()
                .path("count").asInt(), "a flow can still ask about them");
    }

    @Test
    void namesTheRulesReadAnswerAnEmptyList() {
        JsonNode answer = expect(200, service.post("/v1/events",
                "{\"id\":\"n-4\",\"userId\":\"names-bob\",\"name\":\"Active on Site\"}")).body();
        assertEquals(0, answer.path("unrecognized").size(), answer.toString());
        assertTrue(answer.path("unrecognized").isArray());
    }

    @Test
    void theSegmentRoutesAnswerUnrecognizedNamesToo() {
        JsonNode answer = expect(200, service.post("/v1/track",
                "{\"messageId\":\"n-5\",\"userId\":\"names-cat\",\"event\":\"Order completed\"}")).body();
        assertEquals("Order completed", answer.path("unrecognized").get(0).path("name").asText(), answer.toString());
        assertEquals("Order Completed", answer.path("unrecognized").get(0).path("didYouMean").asText());
        JsonNode page = expect(200, service.post("/v1/page", "{\"messageId\":\"n-6\",\"userId\":\"names-cat\"}")).body();
        assertEquals(0, page.path("unrecognized").size(), page.toString());
    }

    @Test
    void theReportCountsEachNameAndSaysWhichRulesReadIt() {
        expect(200, service.post("/v1/events", "{\"id\":\"n-7\",\"userId\":\"names-dan\",\"name\":\"Clicked Emial\"}"));
        expect(200, service.post("/v1/events", "{\"id\":\"n-8\",\"userId\":\"names-dan\",\"name\":\"Clicked Emial\"}"));
        JsonNode typo = name("Clicked Emial");
        assertEquals(2, typo.path("events").asInt());
        assertTrue(typo.path("lastSeen").asText().endsWith("Z"), typo.toString());
        assertEquals(0, typo.path("readBy").size());
        assertEquals("Clicked Email", typo.path("didYouMean").asText());

        JsonNode read = name("Email Link Clicked");
        assertEquals("clicked-email.drl", read.path("readBy").get(0).path("file").asText(), read.toString());
        assertEquals("clicked_email", read.path("readBy").get(0).path("conversionEvent").asText());
        assertTrue(read.path("didYouMean").isNull());

        JsonNode report = expect(200, service.get("/v1/event-names")).body();
        assertEquals(1000, report.path("limit").asInt());
        assertEquals(0, report.path("untrackedEvents").asInt());
        problem(403, service.raw("GET", "/v1/event-names", null,
                Map.of("authorization", "Bearer " + TestService.WRITE_KEY)));
    }

    @Test
    void unrecognizedEventsAreCountedInAMetric() {
        double before = metric("conversion_events_unrecognized_total");
        expect(200, service.post("/v1/events", "{\"id\":\"n-9\",\"userId\":\"names-eve\",\"name\":\"Opend Email\"}"));
        assertEquals(1, metric("conversion_events_unrecognized_total") - before);
        assertTrue(metric("conversion_event_names_unrecognized") >= 1);
    }
}
