package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.http.TestService.Reply;
import com.conversionrules.replay.BigOrders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POST /v1/campaigns/{id}/simulate over HTTP: the stored past replayed under proposed terms or a
 * proposed rules folder, against what really happened, refused when it cannot be answered, and
 * changing nothing.
 */
class SimulateApiTest {
    @TempDir
    static Path dir;
    static TestService service;
    static Instant since;

    @BeforeAll
    static void start() throws Exception {
        Path proposals = dir.resolve("proposals");
        BigOrders.write(proposals.resolve("big-orders"));
        BigOrders.writeBroken(proposals.resolve("broken"));
        service = TestService.start(dir.resolve("data"), Map.of(Config.SIMULATE_RULES_DIR, proposals.toString()));
        since = Instant.now();

        service.liveCampaign("sim", "multi_touch", "placed_order");
        for (String user : new String[] {"ann", "bob", "cy", "dan"}) {
            service.enroll("sim", user, Instant.now().toString());
        }
        service.event("ann-click", "ann", "Clicked Email", Instant.now().toString(), "sim");
        service.event("ann-order", "ann", "Placed Order", Instant.now().toString(), null);
        service.event("bob-click", "bob", "Clicked Email", Instant.now().toString(), "sim");
        expect(200, service.post("/v1/events", "{\"id\":\"cy-order\",\"userId\":\"cy\",\"name\":\"Placed Order\","
                + "\"properties\":{\"value\":150}}"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static Reply simulate(String fields) {
        return service.post("/v1/campaigns/sim/simulate", "{\"since\":\"" + since + "\"" + fields + "}");
    }

    @Test
    void theCampaignsOwnTermsReplayToWhatReallyHappened() {
        JsonNode answer = expect(200, simulate("")).body();
        assertEquals(4, answer.path("enrollments").asInt(), answer.toString());
        assertEquals(4, answer.path("events").asInt());
        assertEquals(2, answer.path("actual").path("converted").asInt());
        assertEquals(2, answer.path("simulated").path("converted").asInt());
        assertEquals(4, answer.path("changes").path("unchanged").asInt());
        assertEquals(0, answer.path("differences").size());
        assertEquals("placed_order", answer.path("proposed").path("conversionEvents").get(0).path("id").asText());
    }

    @Test
    void anAddedConversionEventShowsWhoWouldHaveLeftEarlierOrAtAll() {
        JsonNode answer = expect(200, simulate(",\"conversionEvents\":[\"placed_order\",\"clicked_email\"]")).body();
        assertEquals(3, answer.path("simulated").path("converted").asInt(), answer.toString());
        assertEquals(2, answer.path("simulated").path("byConversionEvent").path("clicked_email").asInt());
        JsonNode changes = answer.path("changes");
        assertEquals(1, changes.path("newlyConverted").asInt(), "bob clicked");
        assertEquals(1, changes.path("convertedDifferently").asInt(), "ann clicked before ordering");
        assertEquals(0, changes.path("noLongerConverted").asInt());
        JsonNode ann = answer.path("differences").get(0);
        assertEquals("ann", ann.path("userId").asText());
        assertEquals("ann-order", ann.path("actual").path("eventId").asText());
        assertEquals("clicked_email", ann.path("simulated").path("conversionEvent").asText());
        assertEquals("ann-click", ann.path("simulated").path("eventId").asText());
        assertEquals(3, answer.path("byDay").get(answer.path("byDay").size() - 1).path("simulated").asInt());
    }

    @Test
    void aProposedRulesFolderIsReplayedAndNamedByItsVersion() {
        JsonNode answer = expect(200, simulate(",\"rules\":\"big-orders\"")).body();
        assertEquals("big-orders", answer.path("proposed").path("rules").asText());
        assertTrue(answer.path("proposed").path("rulesVersion").isTextual());
        assertEquals(1, answer.path("simulated").path("converted").asInt(), answer.toString());
        assertEquals(1, answer.path("changes").path("noLongerConverted").asInt(), "ann's order carried no value");
        assertEquals("ann", answer.path("differences").get(0).path("userId").asText());
    }

    @Test
    void aSimulationChangesNothing() {
        JsonNode statsBefore = expect(200, service.get("/v1/campaigns/sim/stats")).body();
        JsonNode exitsBefore = expect(200, service.get("/v1/exits")).body();
        expect(200, simulate(",\"conversionEvents\":[\"clicked_email\"],\"conversionWindow\":\"P1D\""));
        assertEquals(statsBefore, expect(200, service.get("/v1/campaigns/sim/stats")).body());
        assertEquals(exitsBefore, expect(200, service.get("/v1/exits")).body());
        JsonNode campaign = expect(200, service.get("/v1/campaigns/sim")).body();
        assertEquals("placed_order", campaign.path("conversionEvent").asText());
        assertTrue(campaign.path("conversionWindow").isNull());
        assertEquals("active", service.status("sim", "bob"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no since       | 400 | '{}'                                                   | since is required",
        "bad since      | 400 | '{\"since\":\"yesterday\"}'                               | since 'yesterday' is not an ISO-8601 time",
        "future until   | 400 | '{\"since\":\"2026-11-01T00:00:00Z\",\"until\":\"2099-01-01T00:00:00Z\"}' | until is in the future",
        "backwards      | 400 | '{\"since\":\"2026-11-02T00:00:00Z\",\"until\":\"2026-11-01T00:00:00Z\"}' | since must come before until",
        "too long       | 400 | '{\"since\":\"2024-01-01T00:00:00Z\",\"until\":\"2025-06-01T00:00:00Z\"}' | the range is longer than 366 days",
        "unknown field  | 400 | '{\"since\":\"2026-11-01T00:00:00Z\",\"dryRun\":true}'      | unknown field 'dryRun'",
        "bad events     | 400 | '{\"since\":\"2026-11-01T00:00:00Z\",\"conversionEvents\":[]}' | conversionEvents is empty",
        "unknown event  | 422 | 'SINCE,\"conversionEvent\":\"added_to_wishlist\"}'        | unknown conversion event 'added_to_wishlist' in the running rules",
        "before history | 422 | '{\"since\":\"2026-01-01T00:00:00Z\"}'                      | the store keeps events since",
        "rules path     | 400 | 'SINCE,\"rules\":\"../proposals\"}'                      | rules '../proposals' is not a folder name",
        "no such rules  | 422 | 'SINCE,\"rules\":\"nowhere\"}'                             | no rules folder 'nowhere' in SIMULATE_RULES_DIR",
        "broken rules   | 422 | 'SINCE,\"rules\":\"broken\"}'                              | the rules folder 'broken' does not pass check-rules, so the service would not load it:",
    })
    void whatCannotBeAnsweredIsRefusedWithWhatToSend(String name, int status, String body, String detail) {
        Reply reply = service.post("/v1/campaigns/sim/simulate", body.replace("SINCE", "{\"since\":\"" + since + "\""));
        problem(status, reply);
        assertDetailContains(reply, detail);
    }

    @Test
    void aReplayAnswersTheSameAfterARestart(@TempDir Path ownData) throws Exception {
        try (TestService own = TestService.start(ownData)) {
            Instant from = Instant.now();
            own.liveCampaign("kept", "multi_touch", "placed_order");
            own.enroll("kept", "ann", Instant.now().toString());
            own.enroll("kept", "bob", Instant.now().toString());
            own.event("kept-click", "bob", "Clicked Email", Instant.now().toString(), "kept");
            Instant until = Instant.now();
            String request = "{\"since\":\"" + from + "\",\"until\":\"" + until + "\","
                    + "\"conversionEvents\":[\"placed_order\",\"clicked_email\"]}";
            JsonNode before = expect(200, own.post("/v1/campaigns/kept/simulate", request)).body();
            assertEquals(1, before.path("changes").path("newlyConverted").asInt(), before.toString());
            own.restart();
            JsonNode after = expect(200, own.post("/v1/campaigns/kept/simulate", request)).body();
            ((ObjectNode) before).remove("tookMillis");
            ((ObjectNode) after).remove("tookMillis");
            assertEquals(before, after);
        }
    }

    @Test
    void anUnknownCampaignIsNotFound() {
        problem(404, service.post("/v1/campaigns/nope/simulate", "{\"since\":\"" + since + "\"}"));
    }

    @Test
    void theRangeCoversEnrollmentsMadeInItOnly() {
        JsonNode answer = expect(200, service.post("/v1/campaigns/sim/simulate", "{\"since\":\"" + since
                + "\",\"until\":\"" + since.plus(Duration.ofMillis(1)) + "\"}")).body();
        assertEquals(0, answer.path("enrollments").asInt(), "every enrollment came after the first millisecond: " + answer);
    }
}
