package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routes behind the console's campaign and user pages: conversions over time, latest exits, a user's campaigns. */
class CampaignActivityApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";

    private static void enrollAndConvert(String campaign, String... users) {
        for (String user : users) {
            service.enroll(campaign, user, ENROLLED);
            service.event(campaign + "-order-" + user, user, "Placed Order", AFTER, null);
        }
    }

    private static Instant exitedAt(String campaign, String user) {
        return Instant.parse(expect(200, service.get("/v1/campaigns/" + campaign + "/enrollments/" + user)).body()
                .path("exit").path("exitedAt").asText());
    }

    private static long sum(JsonNode buckets) {
        long sum = 0;
        for (JsonNode bucket : buckets) {
            sum += bucket.path("conversions").asLong();
        }
        return sum;
    }

    @Test
    void conversionsAreCountedPerHourWhenTheyWereDecidedNotWhenTheEventHappened() {
        service.liveCampaign("hourly", "multi_touch", "placed_order");
        enrollAndConvert("hourly", "ann", "bob");
        service.enroll("hourly", "cat", ENROLLED);

        JsonNode chart = expect(200, service.get("/v1/campaigns/hourly/conversions")).body();
        assertEquals("hour", chart.path("bucket").asText());
        assertEquals(48, chart.path("buckets").size(), "the last 48 hours by default");
        assertEquals(2, chart.path("conversions").asLong());
        assertEquals(2, sum(chart.path("buckets")));
        Instant from = Instant.parse(chart.path("from").asText());
        for (int i = 0; i < 48; i++) {
            assertEquals(from.plus(Duration.ofHours(i)).toString(), chart.path("buckets").get(i).path("start").asText());
        }
        assertEquals(from.plus(Duration.ofHours(48)).toString(), chart.path("to").asText());
        assertTrue(Instant.parse(chart.path("to").asText()).isAfter(exitedAt("hourly", "bob")),
                "the buckets end with the current hour");

        // The events happened on 2 November; the exits were decided now, and that is when they count.
        Instant decided = exitedAt("hourly", "ann");
        JsonNode around = expect(200, service.get("/v1/campaigns/hourly/conversions?from=" + decided.minus(Duration.ofHours(1))
                + "&to=" + decided.plus(Duration.ofMinutes(1)))).body();
        Instant hour = decided.truncatedTo(ChronoUnit.HOURS);
        assertEquals(hour.minus(Duration.ofHours(1)).toString(), around.path("from").asText(), "from rounds down");
        assertEquals(2, around.path("conversions").asLong(), around.toString());
        JsonNode onNovember2 = expect(200, service.get(
                "/v1/campaigns/hourly/conversions?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z")).body();
        assertEquals(24, onNovember2.path("buckets").size());
        assertEquals(0, onNovember2.path("conversions").asLong());
    }

    @Test
    void conversionsPerDayCoverTheLastThirtyUtcDays() {
        service.liveCampaign("daily", "multi_touch", "placed_order");
        enrollAndConvert("daily", "dee");
        JsonNode chart = expect(200, service.get("/v1/campaigns/daily/conversions?bucket=day")).body();
        assertEquals("day", chart.path("bucket").asText());
        assertEquals(30, chart.path("buckets").size());
        assertTrue(chart.path("from").asText().endsWith("T00:00:00Z"), chart.path("from").asText());
        assertEquals(1, chart.path("conversions").asLong());
        Instant day = exitedAt("daily", "dee").truncatedTo(ChronoUnit.DAYS);
        List<String> converting = new ArrayList<>();
        chart.path("buckets").forEach(bucket -> {
            if (bucket.path("conversions").asLong() > 0) {
                converting.add(bucket.path("start").asText());
            }
        });
        assertEquals(List.of(day.toString()), converting);
    }

    @Test
    void aCampaignWithoutConversionsHasEmptyBuckets() {
        service.liveCampaign("quiet", "multi_touch", "placed_order");
        JsonNode chart = expect(200, service.get("/v1/campaigns/quiet/conversions?bucket=day")).body();
        assertEquals(0, chart.path("conversions").asLong());
        assertEquals(0, sum(chart.path("buckets")));
    }

    @Test
    void badConversionQueriesSayWhatToFix() {
        service.liveCampaign("asked-badly", "multi_touch", "placed_order");
        String path = "/v1/campaigns/asked-badly/conversions";
        badRequest(path + "?bucket=week", "bucket must be hour or day");
        badRequest(path + "?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z", "from must be before to");
        badRequest(path + "?from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z", "at most 1000 buckets", "bucket=day");
        badRequest(path + "?from=yesterday", "from", "ISO-8601");
        problem(404, service.get("/v1/campaigns/no-such-campaign/conversions"));
    }

    private static void badRequest(String path, String... fragments) {
        TestService.Reply reply = service.get(path);
        problem(400, reply);
        assertDetailContains(reply, fragments);
    }

    @Test
    void latestExitsAreNewestFirstWithTheRuleFileVersionAndEventOfEachConversion() {
        service.liveCampaign("leaving", "multi_touch", "placed_order");
        service.enroll("leaving", "eve", ENROLLED);
        service.enroll("leaving", "fay", ENROLLED);
        service.enroll("leaving", "gus", ENROLLED);
        expect(200, service.post("/v1/events", "{\"id\":\"leaving-order\",\"userId\":\"eve\",\"name\":\"Placed Order\","
                + "\"time\":\"" + AFTER + "\",\"properties\":{\"value\":42.5}}"));
        expect(200, service.delete("/v1/campaigns/leaving/enrollments/fay"));
        expect(200, service.post("/v1/campaigns/leaving/end"));

        JsonNode exits = expect(200, service.get("/v1/campaigns/leaving/exits")).body().path("exits");
        assertEquals(3, exits.size(), exits.toString());
        assertEquals(List.of("gus", "fay", "eve"), List.of(exits.get(0).path("userId").asText(),
                exits.get(1).path("userId").asText(), exits.get(2).path("userId").asText()));
        assertEquals(List.of("campaign_ended", "removed", "converted"), List.of(exits.get(0).path("reason").asText(),
                exits.get(1).path("reason").asText(), exits.get(2).path("reason").asText()));

        JsonNode conversion = exits.get(2);
        String version = expect(200, service.get("/v1/rules")).body().path("version").asText();
        assertEquals("An order converts the user out of every live campaign waiting for an order",
                conversion.path("rule").path("name").asText());
        assertEquals("placed-order.drl", conversion.path("rule").path("file").asText());
        assertEquals(version, conversion.path("rule").path("rulesVersion").asText());
        assertEquals("leaving-order", conversion.path("event").path("id").asText());
        assertEquals("Placed Order", conversion.path("event").path("name").asText());
        assertEquals(AFTER, conversion.path("event").path("time").asText());
        assertEquals(42.5, conversion.path("value").asDouble());
        assertTrue(conversion.path("deliveries").isObject(), conversion.toString());
        assertFalse(exits.get(1).has("event"), "a removal has no event: " + exits.get(1));
        assertTrue(exits.get(1).path("rule").isMissingNode(), exits.get(1).toString());

        JsonNode newest = expect(200, service.get("/v1/campaigns/leaving/exits?limit=1")).body().path("exits");
        assertEquals(1, newest.size());
        assertEquals("gus", newest.get(0).path("userId").asText());
        problem(400, service.get("/v1/campaigns/leaving/exits?limit=0"));
        problem(400, service.get("/v1/campaigns/leaving/exits?limit=101"));
        problem(404, service.get("/v1/campaigns/no-such-campaign/exits"));
    }

    @Test
    void aUsersCampaignsListEveryEnrollmentNewestFirstWithWhyEachEnded() {
        service.liveCampaign("user-page-orders", "multi_touch", "placed_order");
        service.liveCampaign("user-page-visits", "automation", "site_active");
        service.liveCampaign("user-page-other", "multi_touch", "placed_order");
        service.enroll("user-page-visits", "hal", ENROLLED);
        service.enroll("user-page-orders", "hal", ENROLLED);
        expect(200, service.delete("/v1/campaigns/user-page-visits/enrollments/hal"));
        service.enroll("user-page-visits", "hal", "2026-11-03T10:00:00Z");
        service.event("user-page-order", "hal", "Placed Order", "2026-11-04T10:00:00Z", null);
        service.enroll("user-page-other", "ivy", ENROLLED);

        JsonNode enrollments = expect(200, service.get("/v1/users/hal/campaigns")).body().path("enrollments");
        assertEquals(3, enrollments.size(), enrollments.toString());
        JsonNode again = enrollments.get(0);
        assertEquals("user-page-visits", again.path("campaignId").asText());
        assertEquals("active", again.path("status").asText());
        assertEquals("2026-11-03T10:00:00Z", again.path("enrolledAt").asText());
        assertTrue(again.path("exit").isNull(), again.toString());

        JsonNode converted = enrollments.get(1);
        assertEquals("user-page-orders", converted.path("campaignId").asText());
        assertEquals("converted", converted.path("status").asText());
        assertEquals("converted", converted.path("exit").path("reason").asText());
        assertEquals("Placed Order", converted.path("exit").path("event").path("name").asText());
        assertEquals("placed-order.drl", converted.path("exit").path("rule").path("file").asText());

        JsonNode removed = enrollments.get(2);
        assertEquals("user-page-visits", removed.path("campaignId").asText());
        assertEquals("exited", removed.path("status").asText());
        assertEquals("removed", removed.path("exit").path("reason").asText());

        assertEquals(1, expect(200, service.get("/v1/users/hal/campaigns?limit=1")).body().path("enrollments").size());
        assertEquals(0, expect(200, service.get("/v1/users/never-enrolled/campaigns")).body().path("enrollments").size());
        problem(400, service.get("/v1/users/not%20an%20id/campaigns"));
        problem(400, service.get("/v1/users/hal/campaigns?limit=1001"));
    }

    @Test
    void theAnalystsCasesRunAgainstTheRunningRules() {
        JsonNode report = expect(200, service.get("/v1/rules/cases")).body();
        assertEquals(expect(200, service.get("/v1/rules")).body().path("version").asText(),
                report.path("rulesVersion").asText());
        assertEquals(0, report.path("failed").asInt(), report.toString());
        assertEquals(report.path("cases").size(), report.path("passed").asInt());
        assertTrue(report.path("passed").asInt() >= 7, "every shipped policy has cases: " + report);
        JsonNode first = report.path("cases").get(0);
        assertTrue(first.path("file").asText().endsWith(".cases.yaml"), first.toString());
        assertTrue(first.path("line").asInt() > 0, first.toString());
        assertTrue(first.path("passed").asBoolean(), first.toString());
        assertEquals(0, report.path("unreadable").size());
    }
}
