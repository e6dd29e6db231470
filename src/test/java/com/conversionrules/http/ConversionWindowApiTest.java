package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A campaign's conversion window over HTTP: set, shown, changed, removed, refused when bad, and honoured. */
class ConversionWindowApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";

    private static Reply create(String id, String window) {
        return service.post("/v1/campaigns", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"multi_touch\","
                + "\"conversionEvent\":\"placed_order\",\"conversionWindow\":" + window + "}");
    }

    private static JsonNode campaign(String id) {
        return expect(200, service.get("/v1/campaigns/" + id)).body();
    }

    @Test
    void aCampaignCreatedWithAWindowShowsItInDays() {
        JsonNode created = expect(201, create("window-create", "\"PT168H\"")).body();
        assertEquals("P7D", created.path("conversionWindow").asText());
        assertEquals("P7D", campaign("window-create").path("conversionWindow").asText());
    }

    @Test
    void aCampaignWithoutAWindowShowsNull() {
        JsonNode created = expect(201, service.post("/v1/campaigns",
                "{\"id\":\"window-none\",\"name\":\"n\",\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}"))
                .body();
        assertTrue(created.has("conversionWindow") && created.path("conversionWindow").isNull(), created.toString());
    }

    @ParameterizedTest(name = "{1} is refused")
    @CsvSource(delimiter = '|', value = {
        "window-bad-text | '\"1 week\"' | conversionWindow '1 week' is not an ISO-8601 duration in days, hours, minutes or seconds, such as P7D (7 days), PT12H (12 hours) or P1DT6H",
        "window-month    | '\"P1M\"'    | conversionWindow 'P1M' is not an ISO-8601 duration in days, hours, minutes or seconds",
        "window-zero     | '\"P0D\"'    | conversionWindow 'P0D' is not a positive duration: use one such as P7D",
        "window-negative | '\"-P1D\"'   | conversionWindow '-P1D' is not a positive duration",
        "window-number   | 7          | conversionWindow must be an ISO-8601 duration string such as P7D or PT12H",
        "window-huge     | '\"P99999D\"' | conversionWindow 'P99999D' is longer than P3650D (10 years); leave the window out for no limit",
    })
    void aBadWindowIsRefusedWithWhatToSend(String id, String window, String detail) {
        Reply reply = create(id, window);
        problem(400, reply);
        assertDetailContains(reply, detail);
        problem(404, service.get("/v1/campaigns/" + id));
    }

    @Test
    void theReviewWarnsThatLateConvertersStayInTheCampaign() {
        expect(201, create("window-review", "\"P3D\""));
        JsonNode review = expect(200, service.get("/v1/campaigns/window-review/review")).body();
        assertEquals("P3D", review.path("campaign").path("conversionWindow").asText());
        assertEquals(1, review.path("warnings").size(), review.toString());
        assertEquals("Only events within P3D of a user's enrollment convert; a user who converts later stays in "
                + "the campaign until removed or the campaign ends.", review.path("warnings").get(0).asText());
    }

    @Test
    void patchSetsChangesAndRemovesTheWindowAndRefusesABadOne() {
        expect(201, create("window-patch", "null"));
        assertEquals("PT12H", expect(200, service.patch("/v1/campaigns/window-patch",
                "{\"conversionWindow\":\"PT12H\"}")).body().path("conversionWindow").asText());
        assertEquals("P1DT6H", expect(200, service.patch("/v1/campaigns/window-patch",
                "{\"conversionWindow\":\"PT30H\"}")).body().path("conversionWindow").asText());
        Reply bad = service.patch("/v1/campaigns/window-patch", "{\"conversionWindow\":\"soon\"}");
        problem(400, bad);
        assertDetailContains(bad, "conversionWindow 'soon' is not an ISO-8601 duration");
        assertEquals("P1DT6H", campaign("window-patch").path("conversionWindow").asText());

        JsonNode renamed = expect(200, service.patch("/v1/campaigns/window-patch", "{\"name\":\"Renamed\"}")).body();
        assertEquals("P1DT6H", renamed.path("conversionWindow").asText(), "a PATCH without the field keeps it");
        JsonNode removed = expect(200, service.patch("/v1/campaigns/window-patch",
                "{\"conversionWindow\":null}")).body();
        assertTrue(removed.path("conversionWindow").isNull(), removed.toString());
    }

    @Test
    void aWindowChangedOrRemovedAfterEnrollingAppliesToTheUsersAlreadyEnrolled() {
        expect(201, create("window-lifted", "null"));
        expect(200, service.post("/v1/campaigns/window-lifted/launch"));
        service.enroll("window-lifted", "lifted-user", ENROLLED);
        expect(200, service.patch("/v1/campaigns/window-lifted", "{\"conversionWindow\":\"PT1H\"}"));
        service.event("lifted-1", "lifted-user", "Placed Order", "2026-11-01T11:00:01Z", null);
        assertEquals("active", service.status("window-lifted", "lifted-user"), "outside the new window");

        expect(200, service.patch("/v1/campaigns/window-lifted", "{\"conversionWindow\":null}"));
        service.event("lifted-2", "lifted-user", "Placed Order", "2026-11-01T11:00:02Z", null);
        assertEquals("converted", service.status("window-lifted", "lifted-user"), "no window any more");
    }

    @Test
    void anOrderAfterTheWindowLeavesTheUserActiveAndOneWithinItConverts() {
        expect(201, create("window-live", "\"PT1H\""));
        expect(200, service.post("/v1/campaigns/window-live/launch"));
        service.enroll("window-live", "window-late", ENROLLED);
        service.enroll("window-live", "window-prompt", ENROLLED);
        service.event("late-1", "window-late", "Placed Order", "2026-11-01T11:00:01Z", null);
        service.event("prompt-1", "window-prompt", "Placed Order", "2026-11-01T11:00:00Z", null);
        assertEquals("active", service.status("window-live", "window-late"));
        assertEquals("converted", service.status("window-live", "window-prompt"));
    }

    @Test
    void aWindowAddedToALiveCampaignAppliesToItsActiveEnrollments() {
        expect(201, create("window-later", "null"));
        expect(200, service.post("/v1/campaigns/window-later/launch"));
        service.enroll("window-later", "window-user", ENROLLED);
        service.enroll("window-later", "window-prompt-user", ENROLLED);
        expect(200, service.patch("/v1/campaigns/window-later", "{\"conversionWindow\":\"P1D\"}"));
        service.event("later-1", "window-user", "Placed Order", "2026-11-03T10:00:00Z", null);
        service.event("later-2", "window-prompt-user", "Placed Order", "2026-11-02T10:00:00Z", null);
        assertEquals("active", service.status("window-later", "window-user"), "two days after enrolling");
        assertEquals("converted", service.status("window-later", "window-prompt-user"), "the last instant of the day");
    }

    @Test
    void theWindowSurvivesARestart(@TempDir Path ownData) throws Exception {
        try (TestService own = TestService.start(ownData)) {
            expect(201, own.post("/v1/campaigns", "{\"id\":\"kept\",\"name\":\"Kept\",\"type\":\"multi_touch\","
                    + "\"conversionEvent\":\"placed_order\",\"conversionWindow\":\"P2D\"}"));
            expect(200, own.post("/v1/campaigns/kept/launch"));
            own.enroll("kept", "ann", ENROLLED);
            own.enroll("kept", "bob", ENROLLED);
            own.restart();
            assertEquals("P2D", expect(200, own.get("/v1/campaigns/kept")).body().path("conversionWindow").asText());
            own.event("o1", "ann", "Placed Order", "2026-11-04T10:00:00Z", null);
            own.event("o2", "bob", "Placed Order", "2026-11-03T09:00:00Z", null);
            assertEquals("active", own.status("kept", "ann"), "three days after enrolling");
            assertEquals("converted", own.status("kept", "bob"), "within the two days");
        }
    }
}
