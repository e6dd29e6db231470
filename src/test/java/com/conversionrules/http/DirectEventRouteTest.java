package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.http.TestService.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/events} answers the same whether it skips the router ({@link DirectEventRoute}: a
 * write key, a JSON body of declared length) or goes through it (a query on the path, another body
 * type, Basic auth done wrong): the same statuses, problems, outcomes and request meters.
 */
class DirectEventRouteTest extends SharedServiceTest {
    /** Bodies with {@code ID} where each way puts its own event id prefix. */
    private static final List<String> BODIES = List.of(
            "{\"id\":\"ID-1\",\"userId\":\"ID-ann\",\"name\":\"Placed Order\",\"properties\":{\"value\":12.5}}",
            "{\"id\":\"ID-1\",\"userId\":\"ID-ann\",\"name\":\"Placed Order\",\"properties\":{\"value\":12.5}}",
            "{\"events\":[{\"id\":\"ID-2\",\"userId\":\"ID-bob\",\"name\":\"Active on Site\"},"
                    + "{\"id\":\"ID-3\",\"userId\":\"ID-bob\",\"name\":\"Never Heard Of\"}]}",
            "{\"id\":\"ID-4\",\"userId\":\"ID-ann\",\"name\":",
            "{\"id\":\"ID-5\",\"id\":\"ID-6\",\"userId\":\"ID-ann\",\"name\":\"Placed Order\"}",
            "{\"id\":\"ID-7\",\"name\":\"Placed Order\"}",
            "[{\"id\":\"ID-8\",\"userId\":\"ID-ann\",\"name\":\"Placed Order\"}]",
            "{\"events\":[{\"id\":\"ID-9\",\"userId\":\"ID-ann\",\"name\":\"Placed Order\"},{\"id\":\"ID-10\"}]}",
            "{\"id\":\"ID-11\",\"userId\":\"ID-ann\",\"name\":\"Placed Order\",\"properties\":{\"value\":1e400}}");

    @Test
    void bothWaysAnswerEveryBodyAlike() {
        for (String body : BODIES) {
            Reply direct = service.post("/v1/events", body.replace("ID", "direct"));
            Reply routed = service.post("/v1/events?via=router", body.replace("ID", "routed"));
            assertEquals(routed.status(), direct.status(), body);
            assertEquals(routed.contentType(), direct.contentType(), body);
            assertEquals(routed.text().replace("routed", "direct"), direct.text(), body);
        }
        // What was applied is the same too: ann's order counts once each way, bob's events are there.
        for (String way : new String[] {"direct", "routed"}) {
            assertEquals(1, expect(200, service.get("/v1/users/" + way + "-ann/performed?event=Placed%20Order"))
                    .body().path("count").asInt(), way);
            assertEquals(1, expect(200, service.get("/v1/users/" + way + "-bob/performed?event=Active%20on%20Site"))
                    .body().path("count").asInt(), way);
        }
    }

    @Test
    void bodiesOfOtherTypesAndOddHeadersGoThroughTheRouterAsBefore() {
        String event = "{\"id\":\"odd-1\",\"userId\":\"odd-ann\",\"name\":\"Placed Order\"}";
        // Without a declared type the router reads it the same way.
        Reply untyped = service.raw("POST", "/v1/events", event.getBytes(StandardCharsets.UTF_8),
                Map.of("authorization", "Bearer " + TestService.WRITE_KEY));
        assertEquals(1, expect(200, untyped).body().path("accepted").asInt());
        // Basic auth with the write key as user, Segment's way: taken on both ways.
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (TestService.WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8));
        Reply viaBasic = service.raw("POST", "/v1/events",
                "{\"id\":\"odd-2\",\"userId\":\"odd-ann\",\"name\":\"Placed Order\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("authorization", basic, "content-type", "application/json; charset=utf-8"));
        assertEquals(1, expect(200, viaBasic).body().path("accepted").asInt());
        // An admin key is the wrong kind here, a missing one no key: the router's 403 and 401.
        TestService.problem(403, service.raw("POST", "/v1/events", event.getBytes(StandardCharsets.UTF_8),
                Map.of("authorization", "Bearer " + TestService.ADMIN_KEY, "content-type", "application/json")));
        TestService.problem(401, service.raw("POST", "/v1/events", event.getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/json")));
        assertEquals(2, expect(200, service.get("/v1/users/odd-ann/performed?event=Placed%20Order"))
                .body().path("count").asInt());
    }

    @Test
    void theRequestMetersNameTheRouteEitherWay() {
        String body = "{\"id\":\"meter-ID\",\"userId\":\"meter-ann\",\"name\":\"Placed Order\"}";
        double before = requests("200");
        double refusedBefore = requests("400");
        expect(200, service.post("/v1/events", body.replace("ID", "1")));
        expect(200, service.post("/v1/events?via=router", body.replace("ID", "2")));
        TestService.problem(400, service.post("/v1/events", "{"));
        TestService.problem(400, service.post("/v1/events?via=router", "{"));
        assertEquals(before + 2, requests("200"));
        assertEquals(refusedBefore + 2, requests("400"));
    }

    /** The request meter of POST /v1/events with this status code; 0 before the first. */
    private static double requests(String code) {
        String scrape = expect(200, service.get("/metrics")).text();
        Matcher count = Pattern.compile("vertx_http_server_requests_total\\{code=\"" + code
                + "\",method=\"POST\",route=\"/v1/events\"} ([0-9.E]+)").matcher(scrape);
        return count.find() ? Double.parseDouble(count.group(1)) : 0;
    }

    @Test
    void refusedRequestsAreCountedAsRefusedEitherWay() {
        double before = counter("conversion_event_requests_rejected_total");
        TestService.problem(400, service.post("/v1/events", "{\"id\":1}"));
        TestService.problem(400, service.post("/v1/events?via=router", "{\"id\":1}"));
        assertEquals(before + 2, counter("conversion_event_requests_rejected_total"));
    }

    private static double counter(String name) {
        String scrape = expect(200, service.get("/metrics")).text();
        Matcher value = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.E]+)$").matcher(scrape);
        return value.find() ? Double.parseDouble(value.group(2)) : 0;
    }
}
