package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Re-entry over HTTP: who may enter a campaign again, refusals counted and explained, the rest applied, kept. */
class ReentryApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";

    private static Reply create(String id, String reentry) {
        return service.post("/v1/campaigns", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"multi_touch\","
                + "\"conversionEvent\":\"placed_order\"" + (reentry == null ? "" : ",\"reentry\":" + reentry) + "}");
    }

    private static void live(String id, String reentry) {
        expect(201, create(id, reentry));
        expect(200, service.post("/v1/campaigns/" + id + "/launch"));
    }

    private static JsonNode enroll(String campaign, String json) {
        return expect(200, service.post("/v1/campaigns/" + campaign + "/enrollments", json)).body();
    }

    @Test
    void campaignsLetUsersBackAtAnyTimeByDefault() {
        live("reentry-default", null);
        assertEquals("always", expect(200, service.get("/v1/campaigns/reentry-default")).body().path("reentry").asText());
        service.enroll("reentry-default", "ann", ENROLLED);
        service.event("rd-1", "ann", "Placed Order", "2026-11-02T10:00:00Z", null);
        JsonNode again = enroll("reentry-default", "{\"userId\":\"ann\",\"enrolledAt\":\"2026-11-02T10:00:01Z\"}");
        assertEquals(1, again.path("enrolled").asInt());
        assertEquals(0, again.path("refusedReentry").asInt());
        assertEquals("active", service.status("reentry-default", "ann"));
    }

    @ParameterizedTest(name = "reentry {0} is refused")
    @CsvSource(delimiter = '|', value = {
        "'\"sometimes\"'     | reentry 'sometimes' is not a re-entry rule: use \"never\", \"always\" or \"after:\"",
        "'\"after:P1M\"'     | months and years are refused",
        "'\"after:PT0S\"'    | reentry 'after:PT0S' waits for no time",
        "'30'                | reentry must be a string: \"never\", \"always\" or \"after:P30D\"",
    })
    void aBadRuleIsRefusedWithWhatToSend(String reentry, String detail) {
        Reply reply = create("reentry-bad", reentry);
        problem(400, reply);
        assertDetailContains(reply, detail);
        problem(404, service.get("/v1/campaigns/reentry-bad"));
    }

    @Test
    void neverRefusesAUserWhoWasInBeforeAndEnrollsTheRestOfTheRequest() {
        live("reentry-never", "\"never\"");
        service.enroll("reentry-never", "ann", ENROLLED);
        service.event("rn-1", "ann", "Placed Order", "2026-11-02T10:00:00Z", null);
        String exitId = expect(200, service.get("/v1/campaigns/reentry-never/enrollments/ann")).body()
                .path("exit").path("id").asText();

        JsonNode answer = enroll("reentry-never", "{\"enrollments\":[{\"userId\":\"ann\"},{\"userId\":\"bob\"},"
                + "{\"userId\":\"bob\"}]}");
        assertEquals(1, answer.path("enrolled").asInt(), answer.toString());
        assertEquals(1, answer.path("alreadyActive").asInt(), "bob's second line");
        assertEquals(1, answer.path("refusedReentry").asInt());
        assertEquals("ann", answer.path("refused").get(0).path("userId").asText());
        assertEquals("was in the campaign before (enrolled 2026-11-01T10:00:00Z); this campaign lets each user enter "
                + "once (reentry: never)", answer.path("refused").get(0).path("reason").asText());

        JsonNode ann = expect(200, service.get("/v1/campaigns/reentry-never/enrollments/ann")).body();
        assertEquals("converted", ann.path("status").asText(), "ann's enrollment is as it was");
        assertEquals(exitId, ann.path("exit").path("id").asText());
        assertEquals("active", service.status("reentry-never", "bob"));
        assertEquals(2, expect(200, service.get("/v1/campaigns/reentry-never/stats")).body().path("enrolled").asInt());
    }

    @Test
    void afterLetsAUserBackOnceTheDelayHasPassedSinceLeaving() {
        live("reentry-after", "\"after:PT2H\"");
        service.enroll("reentry-after", "ann", ENROLLED);
        expect(200, service.delete("/v1/campaigns/reentry-after/enrollments/ann"));
        Instant left = Instant.parse(expect(200, service.get("/v1/campaigns/reentry-after/enrollments/ann")).body()
                .path("exit").path("exitedAt").asText());

        JsonNode soon = enroll("reentry-after", "{\"userId\":\"ann\",\"enrolledAt\":\""
                + left.plus(Duration.ofMinutes(119)) + "\"}");
        assertEquals(0, soon.path("enrolled").asInt());
        assertEquals(1, soon.path("refusedReentry").asInt());
        assertEquals("left the campaign " + left + "; this campaign lets a user enter again PT2H after leaving "
                + "(reentry: after:PT2H), from " + left.plus(Duration.ofHours(2)),
                soon.path("refused").get(0).path("reason").asText());

        // enrolledAt may run up to a day ahead of the server's clock: when the user enters, not when sent.
        JsonNode later = enroll("reentry-after", "{\"userId\":\"ann\",\"enrolledAt\":\""
                + left.plus(Duration.ofHours(2)) + "\"}");
        assertEquals(1, later.path("enrolled").asInt(), later.toString());
        assertEquals("active", service.status("reentry-after", "ann"));
    }

    @Test
    void aLiveCampaignCanChangeItsRuleAndTheChangeAppliesFromThen() {
        live("reentry-changed", null);
        service.enroll("reentry-changed", "ann", ENROLLED);
        expect(200, service.delete("/v1/campaigns/reentry-changed/enrollments/ann"));
        assertEquals("never", expect(200, service.patch("/v1/campaigns/reentry-changed", "{\"reentry\":\"never\"}"))
                .body().path("reentry").asText());
        assertEquals(1, enroll("reentry-changed", "{\"userId\":\"ann\"}").path("refusedReentry").asInt());
        expect(200, service.patch("/v1/campaigns/reentry-changed", "{\"reentry\":\"always\"}"));
        assertEquals(1, enroll("reentry-changed", "{\"userId\":\"ann\"}").path("enrolled").asInt());
    }

    @Test
    void theBulkUploadCountsAndExplainsRefusalsBesideTheOthers() {
        live("reentry-bulk", "\"never\"");
        service.enroll("reentry-bulk", "ann", ENROLLED);
        expect(200, service.delete("/v1/campaigns/reentry-bulk/enrollments/ann"));
        JsonNode answer = expect(200, service.postNdjson("/v1/campaigns/reentry-bulk/enrollments",
                "{\"userId\":\"ann\"}\n{\"userId\":\"bob\"}\n{\"userId\":\"cy\"}\n")).body();
        assertEquals(2, answer.path("enrolled").asInt(), answer.toString());
        assertEquals(1, answer.path("refusedReentry").asInt());
        assertEquals(3, answer.path("lines").asInt());
        assertEquals("ann", answer.path("refused").get(0).path("userId").asText());
        assertTrue(answer.path("refused").get(0).path("reason").asText().contains("(reentry: never)"));
    }

    @Test
    void theRuleAndWhoWasInBeforeSurviveARestart(@TempDir Path ownData) throws Exception {
        try (TestService own = TestService.start(ownData)) {
            expect(201, own.post("/v1/campaigns", "{\"id\":\"kept\",\"name\":\"k\",\"type\":\"multi_touch\","
                    + "\"conversionEvent\":\"placed_order\",\"reentry\":\"after:P30D\"}"));
            expect(200, own.post("/v1/campaigns/kept/launch"));
            own.enroll("kept", "ann", ENROLLED);
            own.event("k1", "ann", "Placed Order", "2026-11-02T10:00:00Z", null);
            own.restart();
            assertEquals("after:P30D", expect(200, own.get("/v1/campaigns/kept")).body().path("reentry").asText());
            JsonNode answer = expect(200, own.post("/v1/campaigns/kept/enrollments", "{\"userId\":\"ann\"}")).body();
            assertEquals(1, answer.path("refusedReentry").asInt(), answer.toString());
            assertEquals("converted", own.status("kept", "ann"));
        }
    }
}
