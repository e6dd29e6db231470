package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Campaigns and enrollments through their whole lifecycle, over HTTP against the real service. */
class CampaignApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String BEFORE = "2026-11-01T09:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";
    private static final String LATER = "2026-11-03T10:00:00Z";


    // ---------------------------------------------------------------- helpers


    private static Reply create(String id, String type, String conversionEvent) {
        return service.post("/v1/campaigns", "{\"id\":\"" + id + "\",\"name\":\"Name of " + id + "\",\"type\":\""
                + type + "\",\"conversionEvent\":\"" + conversionEvent + "\"}");
    }

    private static JsonNode campaign(String id) {
        return expect(200, service.get("/v1/campaigns/" + id)).body();
    }

    private static JsonNode enrollment(String campaignId, String userId) {
        return expect(200, service.get("/v1/campaigns/" + campaignId + "/enrollments/" + userId)).body();
    }

    private static JsonNode stats(String campaignId) {
        return expect(200, service.get("/v1/campaigns/" + campaignId + "/stats")).body();
    }

    private static Reply enrollBody(String campaignId, String body) {
        return service.post("/v1/campaigns/" + campaignId + "/enrollments", body);
    }

    private static Reply order(String id, String userId, String time, String properties) {
        return expect(200, service.post("/v1/events", "{\"id\":\"" + id + "\",\"userId\":\"" + userId
                + "\",\"name\":\"Placed Order\",\"time\":\"" + time + "\""
                + (properties == null ? "" : ",\"properties\":" + properties) + "}"));
    }

    /** Every exit on the pull feed, in feed order. */
    private static List<JsonNode> allExits() {
        List<JsonNode> exits = new ArrayList<>();
        String after = "0";
        while (true) {
            JsonNode page = expect(200, service.get("/v1/exits?limit=1000&after=" + after)).body();
            page.path("exits").forEach(exits::add);
            if (page.path("exits").isEmpty()) {
                return exits;
            }
            after = page.path("next").asText();
        }
    }

    // ---------------------------------------------------------------- create and read

    @Test
    void createReturnsADraftThatCanBeReadBack() {
        Reply created = expect(201, create("create-draft", "multi_touch", "placed_order"));
        assertTrue(created.contentType().startsWith("application/json"), created.contentType());
        JsonNode body = created.body();
        assertEquals("create-draft", body.path("id").asText());
        assertEquals("Name of create-draft", body.path("name").asText());
        assertEquals("multi_touch", body.path("type").asText());
        assertEquals("placed_order", body.path("conversionEvent").asText());
        assertEquals("draft", body.path("status").asText());
        assertTrue(body.path("createdAt").isTextual(), body.toString());
        assertTrue(body.path("launchedAt").isNull(), body.toString());
        assertTrue(body.path("endedAt").isNull(), body.toString());

        assertEquals(body, campaign("create-draft"));
    }

    @Test
    void createWithoutConversionEventDefaultsToNone() {
        JsonNode body = expect(201, service.post("/v1/campaigns",
                "{\"id\":\"create-default\",\"name\":\"n\",\"type\":\"automation\"}")).body();
        assertEquals("none", body.path("conversionEvent").asText());
        assertEquals("draft", body.path("status").asText());
    }

    @Test
    void unknownConversionEventIsUnprocessableAndListsTheValidIds() {
        Reply reply = create("create-unknown-event", "multi_touch", "bought_a_boat");
        problem(422, reply);
        assertDetailContains(reply, "bought_a_boat", "placed_order", "none", "opened_email", "site_active",
                "clicked_email", "clicked_sms");
        problem(404, service.get("/v1/campaigns/create-unknown-event"));
    }

    @Test
    void duplicateIdConflictsAndLeavesTheFirstCampaignAlone() {
        expect(201, create("create-dup", "multi_touch", "placed_order"));
        Reply again = service.post("/v1/campaigns",
                "{\"id\":\"create-dup\",\"name\":\"Other\",\"type\":\"automation\",\"conversionEvent\":\"none\"}");
        problem(409, again);
        assertDetailContains(again, "create-dup");
        JsonNode stored = campaign("create-dup");
        assertEquals("Name of create-dup", stored.path("name").asText());
        assertEquals("multi_touch", stored.path("type").asText());
        assertEquals("placed_order", stored.path("conversionEvent").asText());
    }

    @Test
    void aTakenIdIsAConflictEvenWhenTheRestIsAlsoWrong() {
        expect(201, create("create-dup-first", "multi_touch", "placed_order"));
        problem(409, create("create-dup-first", "multi_touch", "bought_a_boat"));
    }

    @Test
    void aFlowTakesNoConversionEvent() {
        Reply reply = create("create-flow-order", "flow", "placed_order");
        problem(422, reply);
        assertDetailContains(reply, "performed");
        problem(404, service.get("/v1/campaigns/create-flow-order"));

        JsonNode flow = expect(201, create("create-flow-none", "flow", "none")).body();
        assertEquals("flow", flow.path("type").asText());
        assertEquals("none", flow.path("conversionEvent").asText());
    }

    static Stream<Arguments> badCreateBodies() {
        return Stream.of(
                Arguments.of("missing name", "{\"id\":\"bad-1\",\"type\":\"multi_touch\"}", "name"),
                Arguments.of("name not a string", "{\"id\":\"bad-2\",\"name\":5,\"type\":\"multi_touch\"}", "name"),
                Arguments.of("blank name", "{\"id\":\"bad-3\",\"name\":\"  \",\"type\":\"multi_touch\"}", "name"),
                Arguments.of("missing id", "{\"name\":\"n\",\"type\":\"multi_touch\"}", "id"),
                Arguments.of("id with a space", "{\"id\":\"bad 5\",\"name\":\"n\",\"type\":\"multi_touch\"}", "id"),
                Arguments.of("id with a slash", "{\"id\":\"bad/6\",\"name\":\"n\",\"type\":\"multi_touch\"}", "id"),
                Arguments.of("missing type", "{\"id\":\"bad-7\",\"name\":\"n\"}", "type"),
                Arguments.of("bad type", "{\"id\":\"bad-8\",\"name\":\"n\",\"type\":\"newsletter\"}", "newsletter"),
                Arguments.of("conversionEvent not a string",
                        "{\"id\":\"bad-9\",\"name\":\"n\",\"type\":\"multi_touch\",\"conversionEvent\":1}",
                        "conversionEvent"),
                Arguments.of("unknown field",
                        "{\"id\":\"bad-10\",\"name\":\"n\",\"type\":\"multi_touch\",\"colour\":\"red\"}", "colour"),
                Arguments.of("malformed JSON", "{\"id\":\"bad-11\",\"name\":", "JSON"),
                Arguments.of("trailing garbage", "{\"id\":\"bad-12\",\"name\":\"n\",\"type\":\"flow\"} x", "JSON"),
                Arguments.of("array body", "[{\"id\":\"bad-13\",\"name\":\"n\",\"type\":\"flow\"}]", "object"),
                Arguments.of("string body", "\"bad-14\"", "object"),
                Arguments.of("empty body", "", "body"));
    }

    @ParameterizedTest(name = "create: {0} -> 400")
    @MethodSource("badCreateBodies")
    void badCreateBodiesAreRejected(String what, String body, String mentioned) {
        Reply reply = service.post("/v1/campaigns", body);
        problem(400, reply);
        assertDetailContains(reply, mentioned);
        assertEquals("/v1/campaigns", reply.body().path("instance").asText());
    }

    @Test
    void rejectedCreatesLeaveNoCampaign() {
        problem(400, service.post("/v1/campaigns", "{\"id\":\"bad-unknown\",\"name\":\"n\",\"type\":\"flow\",\"x\":1}"));
        problem(404, service.get("/v1/campaigns/bad-unknown"));
    }

    @Test
    void getUnknownCampaignIsNotFound() {
        Reply reply = service.get("/v1/campaigns/no-such-campaign");
        problem(404, reply);
        assertDetailContains(reply, "no-such-campaign");
        problem(404, service.get("/v1/campaigns/no-such-campaign/stats"));
        problem(404, service.get("/v1/campaigns/no-such-campaign/review"));
        problem(404, service.post("/v1/campaigns/no-such-campaign/launch"));
        problem(404, service.post("/v1/campaigns/no-such-campaign/end"));
        problem(404, service.patch("/v1/campaigns/no-such-campaign", "{\"name\":\"x\"}"));
        problem(404, enrollBody("no-such-campaign", "{\"userId\":\"u\"}"));
    }

    @Test
    void listIncludesCreatedCampaigns() {
        expect(201, create("list-a", "automation", "none"));
        JsonNode list = expect(200, service.get("/v1/campaigns")).body().path("campaigns");
        boolean found = false;
        for (JsonNode campaign : list) {
            found |= campaign.path("id").asText().equals("list-a");
        }
        assertTrue(found, "list-a is listed: " + list);
    }

    // ---------------------------------------------------------------- PATCH

    @Test
    void patchChangesConversionEventAndName() {
        expect(201, create("patch-draft", "multi_touch", "placed_order"));
        JsonNode patched = expect(200, service.patch("/v1/campaigns/patch-draft",
                "{\"conversionEvent\":\"site_active\"}")).body();
        assertEquals("site_active", patched.path("conversionEvent").asText());
        assertEquals("Name of patch-draft", patched.path("name").asText());
        assertEquals("draft", patched.path("status").asText());

        JsonNode renamed = expect(200, service.patch("/v1/campaigns/patch-draft", "{\"name\":\"Renamed\"}")).body();
        assertEquals("Renamed", renamed.path("name").asText());
        assertEquals("site_active", renamed.path("conversionEvent").asText());
        assertEquals(renamed, campaign("patch-draft"));
    }

    @Test
    void patchAfterLaunchAppliesToActiveEnrollmentsFromThenOn() {
        String campaign = "patch-live";
        String user = "patch-live-user";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        service.enroll(campaign, user, ENROLLED);

        JsonNode patched = expect(200, service.patch("/v1/campaigns/" + campaign,
                "{\"conversionEvent\":\"site_active\"}")).body();
        assertEquals("site_active", patched.path("conversionEvent").asText());
        assertEquals("live", patched.path("status").asText());

        order("patch-live-order", user, AFTER, null);
        assertEquals("active", service.status(campaign, user), "an order no longer converts");

        service.event("patch-live-visit", user, "Active on Site", AFTER, null);
        JsonNode enrollment = enrollment(campaign, user);
        assertEquals("converted", enrollment.path("status").asText());
        assertEquals("site_active", enrollment.path("exit").path("conversionEvent").asText());
        assertEquals("patch-live-visit", enrollment.path("exit").path("eventId").asText());
    }

    @Test
    void patchingAFlowToAConversionEventIsUnprocessable() {
        expect(201, create("patch-flow", "flow", "none"));
        Reply reply = service.patch("/v1/campaigns/patch-flow", "{\"conversionEvent\":\"placed_order\"}");
        problem(422, reply);
        assertDetailContains(reply, "performed");
        assertEquals("none", campaign("patch-flow").path("conversionEvent").asText());
    }

    @Test
    void patchingToAnUnknownConversionEventIsUnprocessable() {
        expect(201, create("patch-unknown", "automation", "none"));
        Reply reply = service.patch("/v1/campaigns/patch-unknown", "{\"conversionEvent\":\"nope\"}");
        problem(422, reply);
        assertDetailContains(reply, "placed_order", "none");
        assertEquals("none", campaign("patch-unknown").path("conversionEvent").asText());
    }

    @Test
    void patchingAnEndedCampaignConflicts() {
        service.liveCampaign("patch-ended", "automation", "none");
        expect(200, service.post("/v1/campaigns/patch-ended/end"));
        Reply reply = service.patch("/v1/campaigns/patch-ended", "{\"conversionEvent\":\"placed_order\"}");
        problem(409, reply);
        assertEquals("none", campaign("patch-ended").path("conversionEvent").asText());
        problem(409, service.patch("/v1/campaigns/patch-ended", "{\"name\":\"new name\"}"));
        assertEquals("patch-ended", campaign("patch-ended").path("name").asText());
    }

    @Test
    void patchWithNothingToChangeOrUnknownFieldsIsRejected() {
        expect(201, create("patch-empty", "automation", "none"));
        problem(400, service.patch("/v1/campaigns/patch-empty", "{}"));
        Reply unknown = service.patch("/v1/campaigns/patch-empty", "{\"type\":\"flow\"}");
        problem(400, unknown);
        assertDetailContains(unknown, "type");
        problem(400, service.patch("/v1/campaigns/patch-empty", "{\"name\":7}"));
        problem(400, service.patch("/v1/campaigns/patch-empty", "[]"));
        problem(400, service.patch("/v1/campaigns/patch-empty", "{"));
        JsonNode unchanged = campaign("patch-empty");
        assertEquals("automation", unchanged.path("type").asText());
        assertEquals("Name of patch-empty", unchanged.path("name").asText());
    }

    // ---------------------------------------------------------------- review

    @Test
    void reviewShowsTheConversionEventDefinitionAndItsWarning() {
        expect(201, create("review-open", "multi_touch", "opened_email"));
        JsonNode review = expect(200, service.get("/v1/campaigns/review-open/review")).body();
        assertEquals("review-open", review.path("campaign").path("id").asText());
        assertEquals("draft", review.path("campaign").path("status").asText());
        JsonNode event = review.path("conversionEvent");
        assertEquals("opened_email", event.path("id").asText());
        assertEquals("Opened email", event.path("label").asText());
        assertTrue(event.path("description").asText().contains("opens an email"), event.toString());
        assertEquals("opened-email.drl", event.path("file").asText());
        assertEquals(1, review.path("warnings").size(), review.toString());
        assertTrue(review.path("warnings").get(0).asText().contains("first open"), review.toString());
    }

    @Test
    void reviewOfAnEventWithoutWarningHasNoWarnings() {
        expect(201, create("review-order", "automation", "placed_order"));
        JsonNode review = expect(200, service.get("/v1/campaigns/review-order/review")).body();
        assertEquals("placed-order.drl", review.path("conversionEvent").path("file").asText());
        assertEquals("Placed order", review.path("conversionEvent").path("label").asText());
        assertTrue(review.path("warnings").isArray() && review.path("warnings").isEmpty(), review.toString());
    }

    @Test
    void reviewOfNoneWarnsThatNobodyExitsOnConversion() {
        expect(201, create("review-none", "multi_touch", "none"));
        JsonNode review = expect(200, service.get("/v1/campaigns/review-none/review")).body();
        assertEquals("none", review.path("conversionEvent").path("id").asText());
        assertTrue(review.path("conversionEvent").path("file").isNull(), review.toString());
        assertEquals(1, review.path("warnings").size(), review.toString());
        assertFalse(review.path("warnings").get(0).asText().isBlank());
    }

    @Test
    void reviewOfAFlowAlsoWarnsAboutPerformedQueries() {
        expect(201, create("review-flow", "flow", "none"));
        JsonNode review = expect(200, service.get("/v1/campaigns/review-flow/review")).body();
        assertEquals(2, review.path("warnings").size(), review.toString());
        assertTrue(review.path("warnings").get(1).asText().contains("/performed"), review.toString());
    }

    // ---------------------------------------------------------------- launch

    @Test
    void launchMakesACampaignLiveAndIsIdempotent() {
        expect(201, create("launch-twice", "multi_touch", "placed_order"));
        JsonNode launched = expect(200, service.post("/v1/campaigns/launch-twice/launch")).body();
        assertEquals("live", launched.path("status").asText());
        assertTrue(launched.path("launchedAt").isTextual(), launched.toString());
        JsonNode again = expect(200, service.post("/v1/campaigns/launch-twice/launch")).body();
        assertEquals("live", again.path("status").asText());
        assertEquals(launched.path("launchedAt"), again.path("launchedAt"));
        assertEquals("live", campaign("launch-twice").path("status").asText());
    }

    @Test
    void enrollingIntoADraftConflicts() {
        expect(201, create("launch-draft", "multi_touch", "placed_order"));
        Reply reply = enrollBody("launch-draft", "{\"userId\":\"launch-draft-user\"}");
        problem(409, reply);
        assertDetailContains(reply, "draft");
        problem(404, service.get("/v1/campaigns/launch-draft/enrollments/launch-draft-user"));

        expect(200, service.post("/v1/campaigns/launch-draft/launch"));
        problem(404, service.get("/v1/campaigns/launch-draft/enrollments/launch-draft-user"));
        assertEquals(0, stats("launch-draft").path("enrolled").asInt());
    }

    @Test
    void launchingAnEndedCampaignConflicts() {
        service.liveCampaign("launch-ended", "automation", "none");
        expect(200, service.post("/v1/campaigns/launch-ended/end"));
        problem(409, service.post("/v1/campaigns/launch-ended/launch"));
        assertEquals("ended", campaign("launch-ended").path("status").asText());
        problem(409, enrollBody("launch-ended", "{\"userId\":\"launch-ended-user\"}"));
    }

    @Test
    void endingADraftEndsIt() {
        expect(201, create("end-draft", "automation", "none"));
        JsonNode ended = expect(200, service.post("/v1/campaigns/end-draft/end")).body();
        assertEquals("ended", ended.path("status").asText());
        assertEquals(0, ended.path("enrollmentsEnded").asInt());
        problem(409, service.post("/v1/campaigns/end-draft/launch"));
    }

    // ---------------------------------------------------------------- enrollments

    @Test
    void singleAndBatchEnrollmentsCountNewAndAlreadyActiveUsers() {
        String campaign = "enroll-counts";
        service.liveCampaign(campaign, "multi_touch", "placed_order");

        JsonNode first = expect(200, enrollBody(campaign, "{\"userId\":\"ec-1\"}")).body();
        assertEquals(1, first.path("enrolled").asInt());
        assertEquals(0, first.path("alreadyActive").asInt());

        JsonNode again = expect(200, enrollBody(campaign, "{\"userId\":\"ec-1\"}")).body();
        assertEquals(0, again.path("enrolled").asInt());
        assertEquals(1, again.path("alreadyActive").asInt());

        JsonNode batch = expect(200, enrollBody(campaign, "{\"enrollments\":[{\"userId\":\"ec-1\"},"
                + "{\"userId\":\"ec-2\",\"enrolledAt\":\"" + ENROLLED + "\"},{\"userId\":\"ec-3\"}]}")).body();
        assertEquals(2, batch.path("enrolled").asInt());
        assertEquals(1, batch.path("alreadyActive").asInt());

        JsonNode enrollment = enrollment(campaign, "ec-2");
        assertEquals("active", enrollment.path("status").asText());
        assertEquals(ENROLLED, enrollment.path("enrolledAt").asText());
        assertEquals("ec-2", enrollment.path("userId").asText());
        assertEquals(campaign, enrollment.path("campaignId").asText());
        assertTrue(enrollment.path("exit").isMissingNode(), enrollment.toString());

        JsonNode stats = stats(campaign);
        assertEquals(3, stats.path("enrolled").asInt(), "re-enrolling an active user is a no-op: " + stats);
        assertEquals(3, stats.path("active").asInt());
        assertEquals(0, stats.path("converted").asInt());
    }

    @Test
    void theSameUserTwiceInOneBatchEnrollsOnce() {
        String campaign = "enroll-twice-in-batch";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        JsonNode outcome = expect(200, enrollBody(campaign,
                "{\"enrollments\":[{\"userId\":\"etb-1\"},{\"userId\":\"etb-1\"}]}")).body();
        assertEquals(1, outcome.path("enrolled").asInt());
        assertEquals(1, outcome.path("alreadyActive").asInt());
        assertEquals(1, stats(campaign).path("enrolled").asInt());
    }

    static Stream<Arguments> badEnrollmentBodies() {
        return Stream.of(
                Arguments.of("user id with a space", "{\"userId\":\"be user\"}", "userId"),
                Arguments.of("user id with a slash", "{\"userId\":\"be/user\"}", "userId"),
                Arguments.of("missing user id", "{}", "userId"),
                Arguments.of("user id not a string", "{\"userId\":42}", "userId"),
                Arguments.of("bad enrolledAt", "{\"userId\":\"be-1\",\"enrolledAt\":\"tomorrow\"}", "enrolledAt"),
                Arguments.of("unknown field", "{\"userId\":\"be-1\",\"email\":\"a@b.c\"}", "email"),
                Arguments.of("enrollments not an array", "{\"enrollments\":{\"userId\":\"be-1\"}}", "enrollments"),
                Arguments.of("enrollments empty", "{\"enrollments\":[]}", "enrollments"),
                Arguments.of("enrollments item not an object", "{\"enrollments\":[\"be-1\"]}", "enrollments[0]"),
                Arguments.of("not JSON", "userId=be-1", "JSON"));
    }

    @ParameterizedTest(name = "enroll: {0} -> 400")
    @MethodSource("badEnrollmentBodies")
    void badEnrollmentsAreRejected(String what, String body, String mentioned) {
        String campaign = "enroll-bad";
        if (service.get("/v1/campaigns/" + campaign).status() == 404) {
            service.liveCampaign(campaign, "multi_touch", "placed_order");
        }
        Reply reply = enrollBody(campaign, body);
        problem(400, reply);
        assertDetailContains(reply, mentioned);
        assertEquals(0, stats(campaign).path("enrolled").asInt(), "nothing was enrolled");
    }

    @Test
    void aBadItemRefusesTheWholeBatchAndNamesItsIndex() {
        String campaign = "enroll-bad-batch";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        Reply reply = enrollBody(campaign, "{\"enrollments\":[{\"userId\":\"ebb-ok\"},{\"userId\":\"ebb bad\"},"
                + "{\"userId\":\"ebb-ok-2\"}]}");
        problem(400, reply);
        assertDetailContains(reply, "enrollments[1].userId");
        problem(404, service.get("/v1/campaigns/" + campaign + "/enrollments/ebb-ok"));
        problem(404, service.get("/v1/campaigns/" + campaign + "/enrollments/ebb-ok-2"));

        Reply badTime = enrollBody(campaign, "{\"enrollments\":[{\"userId\":\"ebb-ok\"},"
                + "{\"userId\":\"ebb-ok-2\",\"enrolledAt\":\"2026-11-01T10:00:00\"}]}");
        problem(400, badTime);
        assertDetailContains(badTime, "enrollments[1].enrolledAt");
        problem(404, service.get("/v1/campaigns/" + campaign + "/enrollments/ebb-ok"));
        assertEquals(0, stats(campaign).path("enrolled").asInt());
    }

    @Test
    void getEnrollmentOfAnUnknownUserIsNotFoundAndABadUserIdIsRejected() {
        service.liveCampaign("enroll-get", "multi_touch", "placed_order");
        problem(404, service.get("/v1/campaigns/enroll-get/enrollments/never-enrolled"));
        Reply bad = service.get("/v1/campaigns/enroll-get/enrollments/bad%20user");
        problem(400, bad);
        assertDetailContains(bad, "userId");
        Reply slash = service.get("/v1/campaigns/enroll-get/enrollments/bad%2Fuser");
        assertTrue(slash.status() == 400 || slash.status() == 404, "an encoded slash: " + slash.status());
        problem(slash.status(), slash);
    }

    // ---------------------------------------------------------------- end

    @Test
    void endingACampaignExitsItsUsersWithoutConverting() {
        String campaign = "end-live";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        expect(200, enrollBody(campaign, "{\"enrollments\":[{\"userId\":\"el-1\",\"enrolledAt\":\"" + ENROLLED
                + "\"},{\"userId\":\"el-2\",\"enrolledAt\":\"" + ENROLLED + "\"},{\"userId\":\"el-3\",\"enrolledAt\":\""
                + ENROLLED + "\"}]}"));
        expect(200, service.delete("/v1/campaigns/" + campaign + "/enrollments/el-3"));

        JsonNode ended = expect(200, service.post("/v1/campaigns/" + campaign + "/end")).body();
        assertEquals("ended", ended.path("status").asText());
        assertEquals(campaign, ended.path("id").asText());
        assertTrue(ended.path("endedAt").isTextual(), ended.toString());
        assertEquals(2, ended.path("enrollmentsEnded").asInt(), ended.toString());
        assertEquals("ended", campaign(campaign).path("status").asText());

        for (String user : List.of("el-1", "el-2")) {
            JsonNode enrollment = enrollment(campaign, user);
            assertEquals("exited", enrollment.path("status").asText(), enrollment.toString());
            assertEquals("campaign_ended", enrollment.path("exit").path("reason").asText(), enrollment.toString());
            assertEquals(user, enrollment.path("exit").path("userId").asText());
        }
        assertEquals("removed", enrollment(campaign, "el-3").path("exit").path("reason").asText());

        // an order after the end converts nobody
        order("end-live-order", "el-1", AFTER, "{\"value\":30}");
        assertEquals("exited", service.status(campaign, "el-1"));

        JsonNode stats = stats(campaign);
        assertEquals(3, stats.path("enrolled").asInt(), stats.toString());
        assertEquals(0, stats.path("active").asInt(), stats.toString());
        assertEquals(0, stats.path("converted").asInt(), stats.toString());
        assertEquals(0.0, stats.path("conversionRate").asDouble(), stats.toString());
        assertEquals(0.0, stats.path("revenue").asDouble(), stats.toString());

        List<String> endedOnFeed = new ArrayList<>();
        for (JsonNode exit : allExits()) {
            if (exit.path("campaignId").asText().equals(campaign)
                    && exit.path("reason").asText().equals("campaign_ended")) {
                endedOnFeed.add(exit.path("userId").asText());
            }
        }
        endedOnFeed.sort(String::compareTo);
        assertEquals(List.of("el-1", "el-2"), endedOnFeed);

        JsonNode endedAgain = expect(200, service.post("/v1/campaigns/" + campaign + "/end")).body();
        assertEquals("ended", endedAgain.path("status").asText());
        assertEquals(0, endedAgain.path("enrollmentsEnded").asInt());
        assertEquals(ended.path("endedAt"), endedAgain.path("endedAt"));
    }

    @Test
    void endingACampaignDoesNotTouchTheUsersOtherCampaigns() {
        service.liveCampaign("end-mine", "multi_touch", "none");
        service.liveCampaign("end-other", "multi_touch", "none");
        service.enroll("end-mine", "eo-user", ENROLLED);
        service.enroll("end-other", "eo-user", ENROLLED);
        assertEquals(1, expect(200, service.post("/v1/campaigns/end-mine/end")).body()
                .path("enrollmentsEnded").asInt());
        assertEquals("exited", service.status("end-mine", "eo-user"));
        assertEquals("active", service.status("end-other", "eo-user"));
    }

    // ---------------------------------------------------------------- remove

    @Test
    void removingAUserExitsThemAndTheyCanBeEnrolledAgain() {
        String campaign = "remove";
        String user = "remove-user";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        service.enroll(campaign, user, ENROLLED);

        JsonNode removed = expect(200, service.delete("/v1/campaigns/" + campaign + "/enrollments/" + user)).body();
        assertEquals("exited", removed.path("status").asText());
        assertEquals(user, removed.path("userId").asText());
        assertEquals(campaign, removed.path("campaignId").asText());
        assertEquals("removed", removed.path("exit").path("reason").asText());
        assertTrue(removed.path("exit").path("id").isTextual(), removed.toString());

        Reply second = service.delete("/v1/campaigns/" + campaign + "/enrollments/" + user);
        problem(404, second);
        assertDetailContains(second, user);

        JsonNode enrollment = enrollment(campaign, user);
        assertEquals("exited", enrollment.path("status").asText());
        assertEquals("removed", enrollment.path("exit").path("reason").asText());
        assertEquals(removed.path("exit").path("id"), enrollment.path("exit").path("id"));

        // a removed user does not convert
        order("remove-order-1", user, AFTER, "{\"value\":99}");
        assertEquals("exited", service.status(campaign, user));

        JsonNode again = expect(200, enrollBody(campaign, "{\"userId\":\"" + user + "\",\"enrolledAt\":\""
                + AFTER + "\"}")).body();
        assertEquals(1, again.path("enrolled").asInt());
        assertEquals(0, again.path("alreadyActive").asInt());
        JsonNode current = enrollment(campaign, user);
        assertEquals("active", current.path("status").asText());
        assertEquals(AFTER, current.path("enrolledAt").asText());
        assertTrue(current.path("exit").isMissingNode(), current.toString());

        JsonNode stats = stats(campaign);
        assertEquals(2, stats.path("enrolled").asInt(), stats.toString());
        assertEquals(1, stats.path("active").asInt(), stats.toString());
        assertEquals(0, stats.path("converted").asInt(), stats.toString());

        // the new enrollment converts on a later order
        order("remove-order-2", user, LATER, "{\"value\":4}");
        JsonNode converted = enrollment(campaign, user);
        assertEquals("converted", converted.path("status").asText());
        assertEquals("remove-order-2", converted.path("exit").path("eventId").asText());
        JsonNode after = stats(campaign);
        assertEquals(1, after.path("converted").asInt());
        assertEquals(0.5, after.path("conversionRate").asDouble());
        assertEquals(4.0, after.path("revenue").asDouble());
    }

    @Test
    void removingAUserWhoWasNeverEnrolledIsNotFound() {
        service.liveCampaign("remove-never", "multi_touch", "none");
        problem(404, service.delete("/v1/campaigns/remove-never/enrollments/nobody"));
        problem(404, service.delete("/v1/campaigns/no-such-campaign/enrollments/nobody"));
        problem(400, service.delete("/v1/campaigns/remove-never/enrollments/bad%20id"));
    }

    // ---------------------------------------------------------------- stats

    @Test
    void statsCountConversionsAndSumTheRevenueOfConvertingOrders() {
        String campaign = "stats-revenue";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        for (String user : List.of("sr-1", "sr-2", "sr-3", "sr-4")) {
            service.enroll(campaign, user, ENROLLED);
        }
        JsonNode empty = stats(campaign);
        assertEquals(4, empty.path("enrolled").asInt());
        assertEquals(4, empty.path("active").asInt());
        assertEquals(0, empty.path("converted").asInt());
        assertEquals(0.0, empty.path("conversionRate").asDouble());
        assertEquals(0.0, empty.path("revenue").asDouble());

        order("sr-order-early", "sr-4", BEFORE, "{\"value\":100}");
        order("sr-order-1", "sr-1", AFTER, "{\"value\":10}");
        order("sr-order-2", "sr-2", AFTER, "{\"total\":\"5.5\"}");
        order("sr-order-1-again", "sr-1", LATER, "{\"value\":1000}");
        order("sr-order-3", "sr-3", AFTER, "{\"revenue\":2}");

        assertEquals("active", service.status(campaign, "sr-4"), "an order before enrollment does not convert");
        assertEquals(10.0, enrollment(campaign, "sr-1").path("exit").path("value").asDouble());
        assertEquals(5.5, enrollment(campaign, "sr-2").path("exit").path("value").asDouble());

        JsonNode stats = stats(campaign);
        assertEquals(campaign, stats.path("campaignId").asText());
        assertEquals(4, stats.path("enrolled").asInt(), stats.toString());
        assertEquals(1, stats.path("active").asInt(), stats.toString());
        assertEquals(3, stats.path("converted").asInt(), stats.toString());
        assertEquals(0.75, stats.path("conversionRate").asDouble(), stats.toString());
        assertEquals(17.5, stats.path("revenue").asDouble(), 1e-9, stats.toString());
    }

    @Test
    void statsOfTwoOrdersWithValueAndStringTotal() {
        String campaign = "stats-simple";
        service.liveCampaign(campaign, "automation", "placed_order");
        service.enroll(campaign, "ss-1", ENROLLED);
        service.enroll(campaign, "ss-2", ENROLLED);
        service.enroll(campaign, "ss-3", ENROLLED);
        order("ss-order-1", "ss-1", AFTER, "{\"value\":10}");
        order("ss-order-2", "ss-2", AFTER, "{\"total\":\"5.5\"}");
        order("ss-order-unenrolled", "ss-nobody", AFTER, "{\"value\":50}");

        JsonNode stats = stats(campaign);
        assertEquals(3, stats.path("enrolled").asInt(), stats.toString());
        assertEquals(1, stats.path("active").asInt(), stats.toString());
        assertEquals(2, stats.path("converted").asInt(), stats.toString());
        assertEquals(0.6667, stats.path("conversionRate").asDouble(), stats.toString());
        assertEquals(15.5, stats.path("revenue").asDouble(), 1e-9, stats.toString());
    }
}
