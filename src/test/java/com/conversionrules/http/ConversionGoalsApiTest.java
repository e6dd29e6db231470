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

/** Campaigns with several conversion events over HTTP: set, shown, refused when bad, honoured, changed live, kept. */
class ConversionGoalsApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";

    private static Reply create(String id, String conversionFields) {
        return service.post("/v1/campaigns", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"multi_touch\""
                + (conversionFields.isEmpty() ? "" : "," + conversionFields) + "}");
    }

    private static void live(String id, String conversionFields) {
        expect(201, create(id, conversionFields));
        expect(200, service.post("/v1/campaigns/" + id + "/launch"));
    }

    private static JsonNode exitOf(String campaign, String user) {
        JsonNode enrollment = expect(200, service.get("/v1/campaigns/" + campaign + "/enrollments/" + user)).body();
        assertEquals("converted", enrollment.path("status").asText(), enrollment.toString());
        return enrollment.path("exit");
    }

    @Test
    void aCampaignListsItsConversionEventsWithTheirWindowsAndTheFirstAsConversionEvent() {
        JsonNode created = expect(201, create("goals-shown", "\"conversionEvents\":[\"placed_order\","
                + "{\"id\":\"clicked_email\",\"conversionWindow\":\"PT72H\"}],\"conversionWindow\":\"P7D\"")).body();
        for (JsonNode campaign : new JsonNode[] {created, expect(200, service.get("/v1/campaigns/goals-shown")).body()}) {
            assertEquals("placed_order", campaign.path("conversionEvent").asText());
            assertEquals(2, campaign.path("conversionEvents").size(), campaign.toString());
            assertEquals("placed_order", campaign.path("conversionEvents").get(0).path("id").asText());
            assertTrue(campaign.path("conversionEvents").get(0).path("conversionWindow").isNull(),
                    "the campaign's P7D applies: " + campaign);
            assertEquals("clicked_email", campaign.path("conversionEvents").get(1).path("id").asText());
            assertEquals("P3D", campaign.path("conversionEvents").get(1).path("conversionWindow").asText());
            assertEquals("P7D", campaign.path("conversionWindow").asText());
        }
    }

    @Test
    void theOneEventFormStillWorksAndShowsAsAListOfOne() {
        JsonNode created = expect(201, create("goals-single", "\"conversionEvent\":\"site_active\"")).body();
        assertEquals("site_active", created.path("conversionEvent").asText());
        assertEquals("site_active", created.path("conversionEvents").get(0).path("id").asText());
        assertEquals(1, created.path("conversionEvents").size());
        JsonNode none = expect(201, create("goals-none", "")).body();
        assertEquals("none", none.path("conversionEvents").get(0).path("id").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "goals-both     | '\"conversionEvent\":\"placed_order\",\"conversionEvents\":[\"site_active\"]' | 400 | send conversionEvent (one) or conversionEvents (a list), not both",
        "goals-text     | '\"conversionEvents\":\"placed_order\"'                    | 400 | conversionEvents must be a list such as",
        "goals-empty    | '\"conversionEvents\":[]'                                   | 400 | conversionEvents is empty: list at least one conversion event, or [\"none\"]",
        "goals-five     | '\"conversionEvents\":[\"placed_order\",\"site_active\",\"opened_email\",\"clicked_email\",\"clicked_sms\"]' | 400 | conversionEvents lists 5 conversion events; a campaign waits for at most 4",
        "goals-twice    | '\"conversionEvents\":[\"placed_order\",{\"id\":\"placed_order\"}]' | 400 | conversionEvents lists 'placed_order' twice",
        "goals-and-none | '\"conversionEvents\":[\"none\",\"placed_order\"]'           | 400 | conversionEvents lists \"none\" with other conversion events",
        "goals-number   | '\"conversionEvents\":[7]'                                  | 400 | conversionEvents[0] must be a conversion event id such as \"placed_order\"",
        "goals-badid    | '\"conversionEvents\":[\"placed order\"]'                   | 400 | conversionEvents[0] 'placed order' is not a valid id",
        "goals-key      | '\"conversionEvents\":[{\"id\":\"placed_order\",\"window\":\"P1D\"}]' | 400 | unknown field 'window'; allowed fields are conversionWindow, id",
        "goals-noid     | '\"conversionEvents\":[{\"conversionWindow\":\"P1D\"}]'     | 400 | conversionEvents[0].id is required",
        "goals-window   | '\"conversionEvents\":[{\"id\":\"placed_order\",\"conversionWindow\":\"P1M\"}]' | 400 | conversionEvents[0].conversionWindow 'P1M' is not an ISO-8601 duration",
        "goals-unknown  | '\"conversionEvents\":[\"placed_order\",\"added_to_wishlist\"]' | 422 | unknown conversion event 'added_to_wishlist'; valid ids are",
    })
    void aBadListIsRefusedWithWhatToSendAndNothingIsCreated(String id, String fields, int status, String detail) {
        Reply reply = create(id, fields);
        problem(status, reply);
        assertDetailContains(reply, detail);
        problem(404, service.get("/v1/campaigns/" + id));
    }

    @Test
    void aFlowTakesNoListOfConversionEventsEither() {
        Reply reply = service.post("/v1/campaigns", "{\"id\":\"goals-flow\",\"name\":\"f\",\"type\":\"flow\","
                + "\"conversionEvents\":[\"placed_order\",\"site_active\"]}");
        problem(422, reply);
        assertDetailContains(reply, "a flow takes no conversion event");
    }

    @Test
    void theUserExitsOnTheFirstConversionEventThatHappensAndTheExitSaysWhich() {
        live("goals-first", "\"conversionEvents\":[\"placed_order\",\"clicked_email\"]");
        service.enroll("goals-first", "clicker", ENROLLED);
        service.enroll("goals-first", "buyer", ENROLLED);
        service.enroll("goals-first", "idle", ENROLLED);

        service.event("gf-click", "clicker", "Clicked Email", "2026-11-02T10:00:00Z", "goals-first");
        service.event("gf-order-late", "clicker", "Placed Order", "2026-11-02T11:00:00Z", null);
        service.event("gf-order", "buyer", "Placed Order", "2026-11-02T10:00:00Z", null);

        JsonNode clicked = exitOf("goals-first", "clicker");
        assertEquals("clicked_email", clicked.path("conversionEvent").asText());
        assertEquals("gf-click", clicked.path("eventId").asText(), "the later order changes nothing");
        assertEquals("placed_order", exitOf("goals-first", "buyer").path("conversionEvent").asText());
        assertEquals("active", service.status("goals-first", "idle"));

        JsonNode stats = expect(200, service.get("/v1/campaigns/goals-first/stats")).body();
        assertEquals(3, stats.path("enrolled").asInt());
        assertEquals(2, stats.path("converted").asInt());
        JsonNode byEvent = stats.path("conversionEvents");
        assertEquals(2, byEvent.size(), stats.toString());
        assertEquals("clicked_email", byEvent.get(0).path("id").asText());
        assertEquals(1, byEvent.get(0).path("converted").asInt());
        assertEquals("placed_order", byEvent.get(1).path("id").asText());
        assertEquals(1, byEvent.get(1).path("converted").asInt());
        assertEquals(0.3333, byEvent.get(1).path("conversionRate").asDouble(), 1e-9);
    }

    @Test
    void eachConversionEventHoldsItsOwnWindow() {
        live("goals-windows", "\"conversionEvents\":[{\"id\":\"placed_order\",\"conversionWindow\":\"P7D\"},"
                + "{\"id\":\"clicked_email\",\"conversionWindow\":\"P1D\"}]");
        service.enroll("goals-windows", "late-clicker", ENROLLED);
        service.event("gw-click", "late-clicker", "Clicked Email", "2026-11-03T10:00:00Z", "goals-windows");
        assertEquals("active", service.status("goals-windows", "late-clicker"), "two days: past the click's window");
        service.event("gw-order", "late-clicker", "Placed Order", "2026-11-05T10:00:00Z", null);
        assertEquals("placed_order", exitOf("goals-windows", "late-clicker").path("conversionEvent").asText());
    }

    @Test
    void aLiveCampaignCanAddAndDropAConversionEventForItsEnrolledUsers() {
        live("goals-patch", "\"conversionEvent\":\"placed_order\"");
        service.enroll("goals-patch", "ann", ENROLLED);
        service.enroll("goals-patch", "bob", ENROLLED);
        service.event("gp-click-before", "ann", "Clicked Email", "2026-11-02T09:00:00Z", "goals-patch");
        assertEquals("active", service.status("goals-patch", "ann"), "a click does not count yet");

        JsonNode added = expect(200, service.patch("/v1/campaigns/goals-patch",
                "{\"conversionEvents\":[\"placed_order\",\"clicked_email\"]}")).body();
        assertEquals(2, added.path("conversionEvents").size(), added.toString());
        service.event("gp-click", "ann", "Clicked Email", "2026-11-02T10:00:00Z", "goals-patch");
        assertEquals("clicked_email", exitOf("goals-patch", "ann").path("conversionEvent").asText());

        expect(200, service.patch("/v1/campaigns/goals-patch", "{\"conversionEvents\":[\"clicked_email\"]}"));
        service.event("gp-order", "bob", "Placed Order", "2026-11-02T10:00:00Z", null);
        assertEquals("active", service.status("goals-patch", "bob"), "orders no longer convert");
        service.event("gp-click-bob", "bob", "Clicked Email", "2026-11-02T11:00:00Z", "goals-patch");
        assertEquals("clicked_email", exitOf("goals-patch", "bob").path("conversionEvent").asText());
    }

    @Test
    void aBadPatchChangesNothing() {
        live("goals-bad-patch", "\"conversionEvents\":[\"placed_order\",\"clicked_email\"]");
        problem(400, service.patch("/v1/campaigns/goals-bad-patch", "{\"conversionEvents\":[],\"name\":\"x\"}"));
        problem(422, service.patch("/v1/campaigns/goals-bad-patch",
                "{\"conversionEvents\":[\"site_active\",\"nope\"],\"name\":\"x\"}"));
        JsonNode campaign = expect(200, service.get("/v1/campaigns/goals-bad-patch")).body();
        assertEquals("goals-bad-patch", campaign.path("name").asText());
        assertEquals(2, campaign.path("conversionEvents").size());
        assertEquals("clicked_email", campaign.path("conversionEvents").get(1).path("id").asText());
    }

    @Test
    void theReviewDescribesEveryConversionEventAndHowTheFirstWins() {
        expect(201, create("goals-review", "\"conversionEvents\":[\"placed_order\",\"clicked_email\"]"));
        JsonNode review = expect(200, service.get("/v1/campaigns/goals-review/review")).body();
        assertEquals(2, review.path("conversionEvents").size());
        assertEquals("Clicked email", review.path("conversionEvents").get(1).path("label").asText());
        assertEquals("placed_order", review.path("conversionEvent").path("id").asText());
        assertTrue(review.path("warnings").toString().contains("A user exits on the first of placed_order, "
                + "clicked_email that happens"), review.toString());
    }

    @Test
    void conversionEventsAndTheirWindowsSurviveARestart(@TempDir Path ownData) throws Exception {
        try (TestService own = TestService.start(ownData)) {
            expect(201, own.post("/v1/campaigns", "{\"id\":\"kept\",\"name\":\"Kept\",\"type\":\"multi_touch\","
                    + "\"conversionEvents\":[\"placed_order\",{\"id\":\"clicked_email\",\"conversionWindow\":\"P1D\"}]}"));
            expect(200, own.post("/v1/campaigns/kept/launch"));
            own.enroll("kept", "ann", ENROLLED);
            own.enroll("kept", "bob", ENROLLED);
            own.restart();
            JsonNode kept = expect(200, own.get("/v1/campaigns/kept")).body();
            assertEquals("P1D", kept.path("conversionEvents").get(1).path("conversionWindow").asText(), kept.toString());
            own.event("k1", "ann", "Clicked Email", "2026-11-01T20:00:00Z", "kept");
            own.event("k2", "bob", "Clicked Email", "2026-11-03T10:00:00Z", "kept");
            assertEquals("converted", own.status("kept", "ann"), "within the click's day");
            assertEquals("active", own.status("kept", "bob"), "two days after enrolling");
            own.event("k3", "bob", "Placed Order", "2026-11-04T10:00:00Z", null);
            assertEquals("converted", own.status("kept", "bob"), "orders have no window");
        }
    }
}
