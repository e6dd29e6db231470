package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.holdout.Holdout;
import com.conversionrules.holdout.Uplift;
import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A campaign's holdout over HTTP: users held out by the documented hash, marked where a sender
 * reads (status, exit feed, webhook), converting like the others, and the lift in the stats.
 */
class HoldoutApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final int USERS = 200;

    private static Reply create(String id, String holdout) {
        return service.post("/v1/campaigns", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"type\":\"multi_touch\","
                + "\"conversionEvent\":\"placed_order\",\"holdoutPercent\":" + holdout + "}");
    }

    private static String enrollments(String prefix, int users) {
        StringBuilder body = new StringBuilder("{\"enrollments\":[");
        for (int u = 0; u < users; u++) {
            body.append(u == 0 ? "" : ",").append("{\"userId\":\"").append(prefix).append(u)
                    .append("\",\"enrolledAt\":\"").append(ENROLLED).append("\"}");
        }
        return body.append("]}").toString();
    }

    @Test
    void aCampaignHoldsOutNobodyByDefault() {
        JsonNode created = expect(201, service.post("/v1/campaigns",
                "{\"id\":\"holdout-default\",\"name\":\"d\",\"type\":\"multi_touch\"}")).body();
        assertEquals(0, created.path("holdoutPercent").asInt());
        assertTrue(expect(200, service.get("/v1/campaigns/holdout-default/stats")).body().path("uplift").isNull());
    }

    @ParameterizedTest(name = "holdoutPercent {0} is refused")
    @ValueSource(strings = {"51", "-1", "10.5", "\"10\"", "true", "1e3"})
    void aHoldoutOutsideZeroToFiftyIsRefusedAndNothingIsCreated(String value) {
        Reply reply = create("holdout-bad", value);
        problem(400, reply);
        assertDetailContains(reply, "holdoutPercent must be a whole number from 0 to 50");
        problem(404, service.get("/v1/campaigns/holdout-bad"));
    }

    @Test
    void theHoldoutIsSetBeforeLaunchAndFixedAfter() {
        expect(201, create("holdout-fixed", "10"));
        assertEquals(20, expect(200, service.patch("/v1/campaigns/holdout-fixed", "{\"holdoutPercent\":20}")).body()
                .path("holdoutPercent").asInt());
        expect(200, service.post("/v1/campaigns/holdout-fixed/launch"));
        Reply refused = service.patch("/v1/campaigns/holdout-fixed", "{\"holdoutPercent\":30,\"name\":\"renamed\"}");
        problem(409, refused);
        assertDetailContains(refused, "its holdoutPercent is fixed at launch");
        JsonNode campaign = expect(200, service.get("/v1/campaigns/holdout-fixed")).body();
        assertEquals(20, campaign.path("holdoutPercent").asInt());
        assertEquals("holdout-fixed", campaign.path("name").asText(), "nothing of the refused PATCH applied");
    }

    @Test
    void heldOutUsersAreEnrolledMarkedHoldoutAndConvertLikeTheOthers() {
        expect(201, create("holdout-split", "50"));
        expect(200, service.post("/v1/campaigns/holdout-split/launch"));
        List<String> heldOut = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            if (Holdout.holdsOut("holdout-split", "split-" + u, 50)) {
                heldOut.add("split-" + u);
            }
        }
        JsonNode answer = expect(200, service.post("/v1/campaigns/holdout-split/enrollments",
                enrollments("split-", USERS))).body();
        assertEquals(USERS, answer.path("enrolled").asInt());
        assertEquals(heldOut.size(), answer.path("holdout").asInt(), answer.toString());

        String held = heldOut.get(0);
        String treated = heldOut.contains("split-0") ? "split-1" : "split-0";
        JsonNode heldStatus = expect(200, service.get("/v1/campaigns/holdout-split/enrollments/" + held)).body();
        assertEquals("holdout", heldStatus.path("status").asText(), "a sender sending while it reads active sends nothing");
        assertTrue(heldStatus.path("holdout").asBoolean());
        JsonNode treatedStatus = expect(200, service.get("/v1/campaigns/holdout-split/enrollments/" + treated)).body();
        assertEquals("active", treatedStatus.path("status").asText());
        assertFalse(treatedStatus.path("holdout").asBoolean());

        // Every fourth user orders: held-out users convert like the others.
        int heldConverted = 0;
        int treatedConverted = 0;
        for (int u = 0; u < USERS; u += 4) {
            service.event("split-order-" + u, "split-" + u, "Placed Order", "2026-11-02T10:00:00Z", null);
            if (heldOut.contains("split-" + u)) {
                heldConverted++;
            } else {
                treatedConverted++;
            }
        }
        JsonNode heldExit = expect(200, service.get("/v1/campaigns/holdout-split/enrollments/" + firstOrdering(heldOut)))
                .body();
        assertEquals("converted", heldExit.path("status").asText());
        assertTrue(heldExit.path("holdout").asBoolean());
        assertTrue(heldExit.path("exit").path("holdout").asBoolean(), heldExit.toString());

        JsonNode uplift = expect(200, service.get("/v1/campaigns/holdout-split/stats")).body().path("uplift");
        assertEquals(50, uplift.path("holdoutPercent").asInt());
        assertEquals(USERS - heldOut.size(), uplift.path("treatment").path("enrolled").asInt());
        assertEquals(treatedConverted, uplift.path("treatment").path("converted").asInt());
        assertEquals(heldOut.size(), uplift.path("holdout").path("enrolled").asInt());
        assertEquals(heldConverted, uplift.path("holdout").path("converted").asInt());
        Uplift expected = Uplift.of(new Uplift.Group(USERS - heldOut.size(), treatedConverted),
                new Uplift.Group(heldOut.size(), heldConverted));
        assertEquals(expected.absolute(), uplift.path("absoluteLift").asDouble(), 1e-6);
        assertEquals(expected.relative(), uplift.path("relativeLift").asDouble(), 1e-6);
        assertEquals(expected.low(), uplift.path("interval95").path("low").asDouble(), 1e-6);
        assertEquals(expected.high(), uplift.path("interval95").path("high").asDouble(), 1e-6);
        assertTrue(uplift.path("method").asText().startsWith("Newcombe hybrid score interval"), uplift.toString());
    }

    private static String firstOrdering(List<String> heldOut) {
        return heldOut.stream().filter(user -> Integer.parseInt(user.substring("split-".length())) % 4 == 0)
                .findFirst().orElseThrow();
    }

    @Test
    void theExitFeedAndTheWebhookSayHoldoutSoTheSenderSendsNothing(@TempDir Path ownData) throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             TestService own = TestService.start(ownData, Map.of(Config.SENDER_WEBHOOK_URL, receiver.url(),
                     Config.SENDER_WEBHOOK_SECRET, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))) {
            expect(201, own.post("/v1/campaigns", "{\"id\":\"hooked\",\"name\":\"h\",\"type\":\"multi_touch\","
                    + "\"conversionEvent\":\"placed_order\",\"holdoutPercent\":50}"));
            expect(200, own.post("/v1/campaigns/hooked/launch"));
            String held = user("hooked", true);
            String treated = user("hooked", false);
            own.enroll("hooked", held, ENROLLED);
            own.enroll("hooked", treated, ENROLLED);
            own.event("hooked-1", held, "Placed Order", "2026-11-02T10:00:00Z", null);
            own.event("hooked-2", treated, "Placed Order", "2026-11-02T10:00:00Z", null);

            JsonNode feed = expect(200, own.get("/v1/exits")).body().path("exits");
            assertEquals(2, feed.size(), feed.toString());
            for (JsonNode exit : feed) {
                assertEquals(exit.path("userId").asText().equals(held), exit.path("holdout").asBoolean(), exit.toString());
            }
            for (int i = 0; i < 2; i++) {
                JsonNode data = TestService.JSON.readTree(receiver.next().body()).path("data");
                assertEquals(data.path("userId").asText().equals(held), data.path("holdout").asBoolean(), data.toString());
            }
        }
    }

    @Test
    void theHoldoutAndEachUsersGroupSurviveARestartAndAReentry(@TempDir Path ownData) throws Exception {
        try (TestService own = TestService.start(ownData)) {
            expect(201, own.post("/v1/campaigns", "{\"id\":\"kept\",\"name\":\"k\",\"type\":\"multi_touch\","
                    + "\"conversionEvent\":\"placed_order\",\"holdoutPercent\":30}"));
            expect(200, own.post("/v1/campaigns/kept/launch"));
            String held = user("kept", true);
            own.enroll("kept", held, ENROLLED);
            own.restart();
            assertEquals(30, expect(200, own.get("/v1/campaigns/kept")).body().path("holdoutPercent").asInt());
            assertEquals("holdout", own.status("kept", held));
            expect(200, own.delete("/v1/campaigns/kept/enrollments/" + held));
            own.enroll("kept", held, "2026-11-03T10:00:00Z");
            assertEquals("holdout", own.status("kept", held), "the same user lands in the same group again");
        }
    }

    /** The first user id the documented hash puts in (or out of) the campaign's holdout at both 30% and 50%. */
    private static String user(String campaign, boolean heldOut) {
        for (int u = 0; ; u++) {
            if (Holdout.holdsOut(campaign, "user-" + u, 30) == heldOut
                    && Holdout.holdsOut(campaign, "user-" + u, 50) == heldOut) {
                return "user-" + u;
            }
        }
    }
}
