package com.conversionrules.http;

import static com.conversionrules.http.TestService.JSON;
import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * At most 10,000 events or enrollments per request, on every route that takes a list: exactly the
 * limit is taken whole, one more is refused whole with the count in the detail, and applies nothing.
 */
class RequestLimitsTest extends SharedServiceTest {
    private static final int LIMIT = 10_000;
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";

    private static String list(String field, int size, IntFunction<JsonNode> item) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray(field);
        for (int i = 0; i < size; i++) {
            items.add(item.apply(i));
        }
        return body.toString();
    }

    private static int count(String userId, String event) {
        return expect(200, service.get("/v1/users/" + userId + "/performed?event=" + event.replace(" ", "%20")))
                .body().path("count").asInt();
    }

    private static void refusedWhole(Reply reply, int size) {
        problem(400, reply);
        assertDetailContains(reply, Integer.toString(size), "at most " + LIMIT);
    }

    @Test
    void eventsUpToTheLimitAreTakenAndOneMoreIsRefusedWhole() {
        refusedWhole(service.post("/v1/events", list("events", LIMIT + 1, i -> JSON.createObjectNode()
                .put("id", "over-" + i).put("userId", "limit-over").put("name", "Viewed Product").put("time", AFTER))),
                LIMIT + 1);
        assertEquals(0, count("limit-over", "Viewed Product"));

        JsonNode taken = expect(200, service.post("/v1/events", list("events", LIMIT, i -> JSON.createObjectNode()
                .put("id", "at-" + i).put("userId", "limit-at-" + i).put("name", "Viewed Product")
                .put("time", AFTER)))).body();
        assertEquals(LIMIT, taken.path("accepted").asInt(), taken.toString());
        assertEquals(1, count("limit-at-7", "Viewed Product"));
        assertEquals(1, count("limit-at-" + (LIMIT - 1), "Viewed Product"));
    }

    @Test
    void enrollmentsUpToTheLimitAreTakenAndOneMoreIsRefusedWhole() {
        service.liveCampaign("limit-enrollments", "multi_touch", "placed_order");
        refusedWhole(service.post("/v1/campaigns/limit-enrollments/enrollments", list("enrollments", LIMIT + 1,
                i -> JSON.createObjectNode().put("userId", "over-" + i).put("enrolledAt", ENROLLED))), LIMIT + 1);
        assertEquals(0, expect(200, service.get("/v1/campaigns/limit-enrollments/stats")).body()
                .path("enrolled").asInt());

        JsonNode taken = expect(200, service.post("/v1/campaigns/limit-enrollments/enrollments", list("enrollments",
                LIMIT, i -> JSON.createObjectNode().put("userId", "at-" + i).put("enrolledAt", ENROLLED)))).body();
        assertEquals(LIMIT, taken.path("enrolled").asInt(), taken.toString());
        assertEquals(LIMIT, expect(200, service.get("/v1/campaigns/limit-enrollments/stats")).body()
                .path("active").asInt());
    }

    @Test
    void segmentBatchesUpToTheLimitAreTakenAndOneMoreIsRefusedWhole() {
        // Page calls this small stay under Segment's 500 KB per batch; the dedupe key is per user.
        refusedWhole(service.post("/v1/batch", list("batch", LIMIT + 1, i -> JSON.createObjectNode()
                .put("type", "page").put("messageId", "o" + i).put("userId", "lso"))), LIMIT + 1);
        assertEquals(0, count("lso", "Page Viewed"));

        JsonNode taken = expect(200, service.post("/v1/batch", list("batch", LIMIT, i -> JSON.createObjectNode()
                .put("type", "page").put("messageId", "m").put("userId", "t" + i)))).body();
        assertEquals(LIMIT, taken.path("accepted").asInt(), taken.toString());
        assertEquals(1, count("t3", "Page Viewed"));
        assertEquals(1, count("t" + (LIMIT - 1), "Page Viewed"));
    }
}
