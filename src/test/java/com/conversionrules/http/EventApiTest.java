package com.conversionrules.http;

import static com.conversionrules.http.TestService.JSON;
import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Event ingestion, the performed-event query and the exit feed, over HTTP against the real service. */
class EventApiTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String BEFORE = "2026-11-01T09:59:59Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";
    private static final String LATER = "2026-11-03T10:00:00Z";


    // ---------------------------------------------------------------- helpers

    private static ObjectNode event(String id, String userId, String name, String time) {
        ObjectNode event = JSON.createObjectNode().put("id", id).put("userId", userId).put("name", name);
        if (time != null) {
            event.put("time", time);
        }
        return event;
    }

    private static String batch(JsonNode... events) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("events");
        for (JsonNode event : events) {
            array.add(event);
        }
        return body.toString();
    }

    private static Reply postEvents(String body) {
        return service.post("/v1/events", body);
    }

    private static void assertOutcome(int accepted, int duplicates, Reply reply) {
        JsonNode body = expect(200, reply).body();
        assertEquals(accepted, body.path("accepted").asInt(), "accepted: " + body);
        assertEquals(duplicates, body.path("duplicates").asInt(), "duplicates: " + body);
    }

    private static JsonNode performed(String userId, String query) {
        return expect(200, service.get("/v1/users/" + userId + "/performed?" + query)).body();
    }

    private static int placedOrders(String userId) {
        return performed(userId, "event=Placed%20Order").path("count").asInt();
    }


    private static JsonNode enrollment(String campaignId, String userId) {
        return expect(200, service.get("/v1/campaigns/" + campaignId + "/enrollments/" + userId)).body();
    }

    /** The feed cursor after every exit so far. */
    private static String feedEnd() {
        String after = "0";
        while (true) {
            JsonNode page = expect(200, service.get("/v1/exits?limit=1000&after=" + after)).body();
            if (page.path("exits").isEmpty()) {
                assertEquals(after, page.path("next").asText(), "an empty page keeps the cursor");
                return after;
            }
            after = page.path("next").asText();
        }
    }

    // ---------------------------------------------------------------- accepted and duplicates

    @Test
    void aSingleEventIsAcceptedOnceAndItsRetryIsADuplicate() {
        String user = "dup-single";
        ObjectNode order = event("dup-single-1", user, "Placed Order", AFTER);
        Reply first = postEvents(order.toString());
        assertTrue(first.contentType().startsWith("application/json"), first.contentType());
        assertOutcome(1, 0, first);
        assertOutcome(0, 1, postEvents(order.toString()));
        assertEquals(1, placedOrders(user), "a duplicate has no second effect");

        // the same id for another user is another event
        assertOutcome(1, 0, postEvents(event("dup-single-1", "dup-single-other", "Placed Order", AFTER).toString()));
        assertEquals(1, placedOrders(user));
        assertEquals(1, placedOrders("dup-single-other"));
    }

    @Test
    void aBatchCountsAcceptedAndDuplicates() {
        String user = "dup-batch";
        assertOutcome(2, 0, postEvents(batch(event("dup-batch-1", user, "Placed Order", AFTER),
                event("dup-batch-2", user, "Placed Order", LATER))));
        assertOutcome(1, 1, postEvents(batch(event("dup-batch-2", user, "Placed Order", LATER),
                event("dup-batch-3", user, "Placed Order", LATER))));
        assertOutcome(0, 3, postEvents(batch(event("dup-batch-1", user, "Placed Order", AFTER),
                event("dup-batch-2", user, "Placed Order", LATER), event("dup-batch-3", user, "Placed Order", LATER))));
        assertEquals(3, placedOrders(user));
    }

    @Test
    void theSameIdTwiceInOneBatchIsAcceptedOnce() {
        String user = "dup-in-batch";
        ObjectNode order = event("dup-in-batch-1", user, "Placed Order", AFTER);
        assertOutcome(1, 1, postEvents(batch(order, order)));
        assertEquals(1, placedOrders(user));
    }

    @Test
    void aDuplicateOrderDoesNotConvertASecondEnrollment() {
        String campaign = "dup-convert";
        String user = "dup-convert-user";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        service.enroll(campaign, user, ENROLLED);
        ObjectNode order = event("dup-convert-order", user, "Placed Order", AFTER);
        assertOutcome(1, 0, postEvents(order.toString()));
        assertEquals("converted", service.status(campaign, user));

        // enrolled again, a retry of the old order must not convert the new enrollment
        expect(200, service.post("/v1/campaigns/" + campaign + "/enrollments",
                "{\"userId\":\"" + user + "\",\"enrolledAt\":\"" + ENROLLED + "\"}"));
        assertOutcome(0, 1, postEvents(order.toString()));
        assertEquals("active", service.status(campaign, user));
    }

    // ---------------------------------------------------------------- validation

    /** A name for the case, a change that breaks an event, and the field the answer must name. */
    static Stream<Arguments> badEvents() {
        String future = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        return Stream.of(
                bad("missing id", e -> e.remove("id"), "id is required"),
                bad("id with a space", e -> e.put("id", "an id"), "id"),
                bad("missing userId", e -> e.remove("userId"), "userId is required"),
                bad("userId with a slash", e -> e.put("userId", "a/b"), "userId"),
                bad("missing name", e -> e.remove("name"), "name is required"),
                bad("name not a string", e -> e.put("name", 5), "name must be a string"),
                bad("name an object", e -> e.putObject("name"), "name must be a string"),
                bad("time not ISO-8601", e -> e.put("time", "yesterday"), "time"),
                bad("time as epoch number", e -> e.put("time", 1_700_000_000_000L), "time"),
                bad("time without offset", e -> e.put("time", "2026-11-02T10:00:00"), "time"),
                bad("time more than a day ahead", e -> e.put("time", future), "time is more than a day in the future"),
                bad("time before 2000", e -> e.put("time", "1999-12-31T23:59:59Z"), "time"),
                bad("properties not an object", e -> e.put("properties", "big order"), "properties"),
                bad("properties an array", e -> e.putArray("properties").add(1), "properties"),
                bad("properties.value non-numeric", e -> e.putObject("properties").put("value", "ten"),
                        "properties.value"),
                bad("properties.total non-numeric", e -> e.putObject("properties").put("total", "5,5 EUR"),
                        "properties.total"),
                bad("properties.value a boolean", e -> e.putObject("properties").put("value", true),
                        "properties.value"),
                bad("properties.value NaN", e -> e.putObject("properties").put("value", "NaN"), "properties.value"),
                bad("campaignId not an id", e -> e.put("campaignId", "c 1"), "campaignId"),
                bad("properties.campaign_id not an id",
                        e -> e.putObject("properties").put("campaign_id", "c/1"), "properties.campaign_id"));
    }

    private static Arguments bad(String what, Consumer<ObjectNode> breaker, String mentioned) {
        return Arguments.of(what, breaker, mentioned);
    }

    @ParameterizedTest(name = "single event: {0} -> 400")
    @MethodSource("badEvents")
    void aBadEventIsRejectedNamingTheField(String what, Consumer<ObjectNode> breaker, String mentioned) {
        String user = "bad-single-" + what.replaceAll("[^A-Za-z0-9]", "-");
        ObjectNode event = event("bad-single-event", user, "Placed Order", AFTER);
        breaker.accept(event);
        Reply reply = postEvents(event.toString());
        problem(400, reply);
        assertDetailContains(reply, mentioned);
        assertEquals("/v1/events", reply.body().path("instance").asText());
        assertEquals(0, placedOrders(user), "nothing was applied");
    }

    @ParameterizedTest(name = "batch: {0} in events[1] -> 400, nothing applied")
    @MethodSource("badEvents")
    void aBadEventInABatchRefusesTheWholeBatch(String what, Consumer<ObjectNode> breaker, String mentioned) {
        String user = "bad-batch-" + what.replaceAll("[^A-Za-z0-9]", "-");
        ObjectNode good = event("bad-batch-good", user, "Placed Order", AFTER);
        ObjectNode broken = event("bad-batch-broken", user + "-2", "Placed Order", AFTER);
        breaker.accept(broken);
        Reply reply = postEvents(batch(good, broken));
        problem(400, reply);
        assertDetailContains(reply, "events[1]." + mentioned);
        assertEquals(0, placedOrders(user), "the valid event before the bad one was not applied");
        assertOutcome(1, 0, postEvents(good.toString()));
    }

    @Test
    void aBadTimeAtIndexTwoIsNamedWithItsIndex() {
        String user = "bad-index-2";
        ObjectNode broken = event("bad-index-2-c", user, "Placed Order", "not a time");
        Reply reply = postEvents(batch(event("bad-index-2-a", user, "Placed Order", AFTER),
                event("bad-index-2-b", user, "Placed Order", LATER), broken));
        problem(400, reply);
        assertDetailContains(reply, "events[2].time");
        assertEquals(0, placedOrders(user));
        JsonNode performed = performed(user, "event=Placed%20Order");
        assertFalse(performed.path("performed").asBoolean());
    }

    @Test
    void aBadBatchDoesNotConvertAnyone() {
        String campaign = "bad-batch-convert";
        String user = "bad-batch-convert-user";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        service.enroll(campaign, user, ENROLLED);
        Reply reply = postEvents(batch(event("bbc-1", user, "Placed Order", AFTER),
                event("bbc-2", "bbc-other", "Placed Order", AFTER).put("time", "2026-13-01T00:00:00Z")));
        problem(400, reply);
        assertDetailContains(reply, "events[1].time");
        assertEquals("active", service.status(campaign, user));
        // the good event can still be sent afterwards: it was never recorded as seen
        assertOutcome(1, 0, postEvents(event("bbc-1", user, "Placed Order", AFTER).toString()));
        assertEquals("converted", service.status(campaign, user));
    }

    @Test
    void badBatchShapesAreRejected() {
        Reply notArray = postEvents("{\"events\":{\"id\":\"x\"}}");
        problem(400, notArray);
        assertDetailContains(notArray, "events");

        Reply empty = postEvents("{\"events\":[]}");
        problem(400, empty);
        assertDetailContains(empty, "events");

        Reply notObject = postEvents(batch(event("shape-1", "shape-user", "Placed Order", AFTER),
                JSON.getNodeFactory().textNode("shape-2")));
        problem(400, notObject);
        assertDetailContains(notObject, "events[1]");
        assertEquals(0, placedOrders("shape-user"));

        problem(400, postEvents("{\"events\":null,\"id\":\"x\"}"));
        problem(400, postEvents("["));
        problem(400, postEvents("[]"));
        problem(400, postEvents(""));
    }

    @Test
    void aTimeWithinTheAllowedSkewIsAccepted() {
        String soon = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertOutcome(1, 0, postEvents(event("skew-1", "skew-user", "Placed Order", soon).toString()));
        assertOutcome(1, 0, postEvents(event("skew-2", "skew-user", "Placed Order", "2026-11-02T11:00:00+01:00")
                .toString()));
        JsonNode performed = performed("skew-user", "event=Placed%20Order&since=2026-11-02T10:00:00Z");
        assertEquals(2, performed.path("count").asInt(), performed.toString());
    }

    // ---------------------------------------------------------------- conversion semantics

    @Test
    void theCampaignMayComeFromPropertiesCampaignId() {
        String campaign = "props-campaign";
        String user = "props-campaign-user";
        service.liveCampaign(campaign, "multi_touch", "opened_email");
        service.enroll(campaign, user, ENROLLED);

        // an open that names no campaign converts nothing
        assertOutcome(1, 0, postEvents(event("props-open-0", user, "Email Opened", AFTER).toString()));
        // an open of another campaign's email converts nothing
        ObjectNode other = event("props-open-1", user, "Email Opened", AFTER);
        other.putObject("properties").put("campaign_id", "some-other-campaign");
        assertOutcome(1, 0, postEvents(other.toString()));
        assertEquals("active", service.status(campaign, user));

        ObjectNode open = event("props-open-2", user, "Email Opened", LATER);
        open.putObject("properties").put("campaign_id", campaign).put("subject", "Hello");
        assertOutcome(1, 0, postEvents(open.toString()));
        JsonNode enrollment = enrollment(campaign, user);
        assertEquals("converted", enrollment.path("status").asText());
        assertEquals("opened_email", enrollment.path("exit").path("conversionEvent").asText());
        assertEquals("props-open-2", enrollment.path("exit").path("eventId").asText());
    }

    @Test
    void campaignIdTakesPrecedenceOverPropertiesCampaignId() {
        String campaign = "props-precedence";
        String user = "props-precedence-user";
        service.liveCampaign(campaign, "multi_touch", "clicked_email");
        service.enroll(campaign, user, ENROLLED);
        ObjectNode click = event("props-precedence-click", user, "Clicked Email", AFTER).put("campaignId", "elsewhere");
        click.putObject("properties").put("campaign_id", campaign);
        assertOutcome(1, 0, postEvents(click.toString()));
        assertEquals("active", service.status(campaign, user));
    }

    @Test
    void eventsBeforeEnrollmentNeverConvert() {
        String campaign = "before-enrollment";
        String user = "before-enrollment-user";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        service.enroll(campaign, user, ENROLLED);

        assertOutcome(1, 0, postEvents(event("before-1", user, "Placed Order", BEFORE).toString()));
        assertOutcome(1, 0, postEvents(event("before-2", user, "Order Completed", "2026-10-01T10:00:00Z").toString()));
        assertEquals("active", service.status(campaign, user));
        assertEquals(1, placedOrders(user), "the early order is still recorded");

        assertOutcome(1, 0, postEvents(event("before-3", user, "Placed Order", ENROLLED).toString()));
        JsonNode enrollment = enrollment(campaign, user);
        assertEquals("converted", enrollment.path("status").asText());
        assertEquals("before-3", enrollment.path("exit").path("eventId").asText());
    }

    @Test
    void anEventWithoutTimeIsStampedNowAndConvertsAPastEnrollment() {
        String campaign = "no-time";
        String user = "no-time-user";
        service.liveCampaign(campaign, "multi_touch", "site_active");
        service.enroll(campaign, user, ENROLLED);
        assertOutcome(1, 0, postEvents(event("no-time-1", user, "Page Viewed", null).toString()));
        assertEquals("converted", service.status(campaign, user));
    }

    @Test
    void twoOrdersInOneBatchCreditTheFirst() {
        String campaign = "two-orders";
        String user = "two-orders-user";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        service.enroll(campaign, user, ENROLLED);
        service.enroll(campaign, "two-orders-other", ENROLLED);

        ObjectNode first = event("two-orders-1", user, "Placed Order", AFTER);
        first.putObject("properties").put("value", 7);
        ObjectNode between = event("two-orders-x", "two-orders-other", "Active on Site", AFTER);
        ObjectNode second = event("two-orders-2", user, "Order Completed", LATER);
        second.putObject("properties").put("value", 9);
        assertOutcome(3, 0, postEvents(batch(first, between, second)));

        JsonNode enrollment = enrollment(campaign, user);
        assertEquals("converted", enrollment.path("status").asText());
        assertEquals("two-orders-1", enrollment.path("exit").path("eventId").asText());
        assertEquals(7.0, enrollment.path("exit").path("value").asDouble());
        assertEquals("active", service.status(campaign, "two-orders-other"));

        JsonNode stats = expect(200, service.get("/v1/campaigns/" + campaign + "/stats")).body();
        assertEquals(1, stats.path("converted").asInt(), stats.toString());
        assertEquals(7.0, stats.path("revenue").asDouble(), stats.toString());
        int exits = 0;
        for (JsonNode exit : expect(200, service.get("/v1/exits?limit=1000")).body().path("exits")) {
            if (exit.path("campaignId").asText().equals(campaign)) {
                exits++;
            }
        }
        assertEquals(1, exits, "one exit for the user, not two");
    }

    @Test
    void anOrderConvertsEveryWaitingCampaignButAnOpenOnlyItsOwn() {
        String user = "multi-campaign-user";
        for (String campaign : List.of("multi-order-a", "multi-order-b")) {
            service.liveCampaign(campaign, "multi_touch", "placed_order");
            service.enroll(campaign, user, ENROLLED);
        }
        for (String campaign : List.of("multi-open-a", "multi-open-b")) {
            service.liveCampaign(campaign, "multi_touch", "opened_email");
            service.enroll(campaign, user, ENROLLED);
        }
        service.liveCampaign("multi-none", "multi_touch", "none");
        service.enroll("multi-none", user, ENROLLED);

        assertOutcome(1, 0, postEvents(event("multi-order", user, "Placed Order", AFTER).toString()));
        assertEquals("converted", service.status("multi-order-a", user));
        assertEquals("converted", service.status("multi-order-b", user));
        assertEquals("active", service.status("multi-open-a", user));
        assertEquals("active", service.status("multi-none", user));

        assertOutcome(1, 0, postEvents(event("multi-open", user, "Opened Email", AFTER)
                .put("campaignId", "multi-open-b").toString()));
        assertEquals("active", service.status("multi-open-a", user));
        assertEquals("converted", service.status("multi-open-b", user));
        assertEquals("active", service.status("multi-none", user));
    }

    // ---------------------------------------------------------------- performed

    @Test
    void performedAnswersWhetherAndWhenAUserDidSomething() {
        String user = "performed-user";
        assertOutcome(3, 0, postEvents(batch(event("performed-1", user, "Placed Order", AFTER),
                event("performed-2", user, "Placed Order", LATER),
                event("performed-3", user, "Opened Email", LATER))));

        JsonNode all = performed(user, "event=Placed%20Order&since=" + ENROLLED);
        assertEquals(user, all.path("userId").asText());
        assertEquals("Placed Order", all.path("event").asText());
        assertEquals(ENROLLED, all.path("since").asText());
        assertTrue(all.path("performed").asBoolean(), all.toString());
        assertEquals(2, all.path("count").asInt(), all.toString());
        assertEquals(LATER, all.path("last").asText(), all.toString());

        JsonNode sinceSecond = performed(user, "event=Placed%20Order&since=2026-11-02T10:00:01Z");
        assertTrue(sinceSecond.path("performed").asBoolean());
        assertEquals(1, sinceSecond.path("count").asInt());

        JsonNode atSecond = performed(user, "event=Placed%20Order&since=" + LATER);
        assertEquals(1, atSecond.path("count").asInt(), "since is inclusive: " + atSecond);

        JsonNode none = performed(user, "event=Placed%20Order&since=2026-11-03T10:00:01Z");
        assertFalse(none.path("performed").asBoolean(), none.toString());
        assertEquals(0, none.path("count").asInt(), none.toString());
        assertTrue(none.path("last").isNull(), none.toString());

        JsonNode noSince = performed(user, "event=Placed%20Order");
        assertEquals(2, noSince.path("count").asInt());
        assertTrue(noSince.path("since").isNull(), noSince.toString());

        JsonNode otherEvent = performed(user, "event=Clicked%20Email");
        assertFalse(otherEvent.path("performed").asBoolean());

        JsonNode nobody = performed("performed-nobody", "event=Placed%20Order");
        assertFalse(nobody.path("performed").asBoolean());
        assertEquals(0, nobody.path("count").asInt());
        assertTrue(nobody.path("last").isNull());
    }

    @Test
    void performedWithSinceAfterTheEventIsFalse() {
        String user = "performed-since";
        assertOutcome(1, 0, postEvents(event("performed-since-1", user, "Placed Order", AFTER).toString()));
        JsonNode reply = performed(user, "event=Placed%20Order&since=" + LATER);
        assertFalse(reply.path("performed").asBoolean(), reply.toString());
        assertEquals(0, reply.path("count").asInt(), reply.toString());
        assertTrue(reply.path("last").isNull(), reply.toString());
    }

    @Test
    void performedRejectsBadQueries() {
        Reply missing = service.get("/v1/users/performed-bad/performed");
        problem(400, missing);
        assertDetailContains(missing, "event");
        problem(400, service.get("/v1/users/performed-bad/performed?event="));
        Reply badSince = service.get("/v1/users/performed-bad/performed?event=Placed%20Order&since=yesterday");
        problem(400, badSince);
        assertDetailContains(badSince, "since");
        problem(400, service.get("/v1/users/performed-bad/performed?event=Placed%20Order&since=2026-11-02T10:00:00"));
        Reply badUser = service.get("/v1/users/bad%20user/performed?event=Placed%20Order");
        problem(400, badUser);
        assertDetailContains(badUser, "userId");
    }

    // ---------------------------------------------------------------- exit feed

    @Test
    void theExitFeedPagesWithItsCursor() {
        String campaign = "feed-paging";
        service.liveCampaign(campaign, "multi_touch", "placed_order");
        List<String> users = List.of("feed-paging-1", "feed-paging-2", "feed-paging-3");
        for (String user : users) {
            service.enroll(campaign, user, ENROLLED);
        }
        String start = feedEnd();
        for (String user : users) {
            assertOutcome(1, 0, postEvents(event(user + "-order", user, "Placed Order", AFTER).toString()));
        }

        JsonNode first = expect(200, service.get("/v1/exits?after=" + start + "&limit=2")).body();
        assertEquals(2, first.path("exits").size(), first.toString());
        assertEquals("feed-paging-1", first.path("exits").get(0).path("userId").asText());
        assertEquals("feed-paging-2", first.path("exits").get(1).path("userId").asText());
        String next = first.path("next").asText();
        assertFalse(next.equals(start), first.toString());

        JsonNode second = expect(200, service.get("/v1/exits?after=" + next + "&limit=2")).body();
        assertEquals(1, second.path("exits").size(), second.toString());
        JsonNode exit = second.path("exits").get(0);
        assertEquals("feed-paging-3", exit.path("userId").asText());
        assertEquals(campaign, exit.path("campaignId").asText());
        assertEquals("converted", exit.path("reason").asText());
        assertEquals("placed_order", exit.path("conversionEvent").asText());
        assertEquals("feed-paging-3-order", exit.path("eventId").asText());
        assertEquals(enrollment(campaign, "feed-paging-3").path("exit").path("id"), exit.path("id"));
        // No sender endpoint is configured here: the exit is on the pull feed only, with no deliveries.
        assertTrue(exit.path("deliveries").isObject() && exit.path("deliveries").isEmpty(), exit.toString());

        String last = second.path("next").asText();
        JsonNode third = expect(200, service.get("/v1/exits?after=" + last + "&limit=2")).body();
        assertEquals(0, third.path("exits").size(), third.toString());
        assertEquals(last, third.path("next").asText());

        JsonNode whole = expect(200, service.get("/v1/exits?after=" + start)).body();
        assertEquals(3, whole.path("exits").size(), "default limit covers all three: " + whole);
    }

    @Test
    void theExitFeedRejectsBadParameters() {
        for (String query : List.of("limit=0", "limit=5000", "limit=abc", "limit=-1", "limit=1.5")) {
            Reply reply = service.get("/v1/exits?" + query);
            problem(400, reply);
            assertDetailContains(reply, "limit");
        }
        for (String query : List.of("after=-1", "after=abc")) {
            Reply reply = service.get("/v1/exits?" + query);
            problem(400, reply);
            assertDetailContains(reply, "after");
        }
        expect(200, service.get("/v1/exits?limit=1000"));
        expect(200, service.get("/v1/exits?limit=1"));
    }

    // ---------------------------------------------------------------- body limit, routes

    @Test
    void aBodyOverTheLimitIsRefusedWith413(@TempDir Path smallDataDir) throws Exception {
        try (TestService small = TestService.start(smallDataDir, Map.of("MAX_BODY_BYTES", "2048"))) {
            ObjectNode big = event("big-1", "big-user", "Placed Order", AFTER);
            big.putObject("properties").put("note", "x".repeat(10 * 1024));
            Reply reply = small.post("/v1/events", big.toString());
            problem(413, reply);

            ObjectNode fits = event("fits-1", "big-user", "Placed Order", AFTER);
            assertOutcome(1, 0, small.post("/v1/events", fits.toString()));
            JsonNode performed = expect(200, small.get("/v1/users/big-user/performed?event=Placed%20Order")).body();
            assertEquals(1, performed.path("count").asInt(), "the oversized event was not applied: " + performed);
        }
    }

    @Test
    void anUnknownRouteIsAProblem() {
        Reply reply = service.get("/v1/nothing-here");
        problem(404, reply);
        assertEquals("/v1/nothing-here", reply.body().path("instance").asText());
        problem(404, service.post("/v1/nothing-here", "{}"));
    }

    @Test
    void aWrongMethodIsAProblem() {
        // With the write key, so a PUT routed to ingestion would apply the order.
        Reply reply = service.raw("PUT", "/v1/events",
                event("put-1", "put-user", "Placed Order", AFTER).toString().getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/json", "authorization", "Bearer " + TestService.WRITE_KEY));
        assertTrue(reply.status() == 405 || reply.status() == 404, "PUT /v1/events answers 405 or 404, got "
                + reply.status());
        problem(reply.status(), reply);
        assertEquals(0, placedOrders("put-user"));

        Reply get = service.get("/v1/events");
        assertTrue(get.status() == 405 || get.status() == 404, "GET /v1/events: " + get.status());
        problem(get.status(), get);
    }
}
