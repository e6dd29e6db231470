package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule that throws on some events (here: a refund of zero items divides by zero) costs those
 * events only. The answer names each with the rule and the reason and counts the rest as applied;
 * what it says matches what the service then shows, on every shard; the operator reads the failed
 * events back from their feed; and nothing is rebuilt.
 */
public class FailingRuleTest {
    public static final String REFUNDS = """
            // Refund requested: the user asked for their money back, which ends a win-back series.
            package policies;

            import com.conversionrules.model.Campaign;
            import com.conversionrules.model.Conversion;
            import com.conversionrules.model.Enrollment;
            import com.conversionrules.model.UserEvent;

            rule "A refund request converts the user out of every live campaign waiting for one"
                @conversionEvent("refund_requested")
                @label("Refund requested")
                @description("The user asks for a refund.")
            when
                $refund : UserEvent( name == "Refund Requested" )
                $enrollment : Enrollment( conversionEvent == "refund_requested", userId == $refund.userId, inConversionWindow( $refund ) )
                Campaign( live, id == $enrollment.campaignId )
            then
                // The analyst's half-finished share of the refund per item: zero items divides by zero.
                int share = 100 / ((Number) $refund.getProperties().getOrDefault( "items", 1 )).intValue();
                delete( $enrollment );
                channels["sender"].send( new Conversion( $enrollment, $refund ) );
            end
            """;
    public static final String REFUND_CASES = """
            cases:
              - name: a refund request after enrollment converts the user
                given:
                  campaigns:
                    - id: winback
                      conversionEvent: refund_requested
                  enrollments:
                    - user: ann
                      campaign: winback
                      at: 2026-11-01T10:00:00Z
                when:
                  - user: ann
                    name: Refund Requested
                    time: 2026-11-02T10:00:00Z
                expect:
                  exits:
                    - user: ann
                      campaign: winback
                      conversionEvent: refund_requested
              - name: an order does not count as a refund request
                given:
                  campaigns:
                    - id: winback
                      conversionEvent: refund_requested
                  enrollments:
                    - user: ann
                      campaign: winback
                      at: 2026-11-01T10:00:00Z
                when:
                  - user: ann
                    name: Placed Order
                    time: 2026-11-02T10:00:00Z
                expect:
                  exits: []
                  active:
                    - user: ann
                      campaign: winback
            """;

    @TempDir
    Path dir;

    /** The shipped rules plus the refund policy and its cases, on four shards. */
    private TestService startWithRefunds() throws Exception {
        Path rules = ReloadTest.copyShippedRules(dir.resolve("rules"));
        Files.writeString(rules.resolve("refund-requested.drl"), REFUNDS);
        Files.writeString(rules.resolve("refund-requested.cases.yaml"), REFUND_CASES);
        return TestService.start(dir.resolve("data"), Map.of("RULES_DIR", rules.toString(), "SHARDS", "4"));
    }

    /**
     * Campaign changes made while shards keep setting poison events aside: each change is answered
     * 200 and every shard then behaves as the API says (a launched campaign converts users on every
     * shard; an ended one has ended every enrollment).
     */
    @Test
    void campaignChangesRacingFailingEventsAreAppliedOnEveryShard() throws Exception {
        try (TestService service = startWithRefunds()) {
            service.liveCampaign("winback", "multi_touch", "refund_requested");
            service.enroll("winback", "poisoned", "2026-11-01T10:00:00Z");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger poisonSetAside = new AtomicInteger();
            Thread poison = new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    StringBuilder events = new StringBuilder("{\"events\":[{\"id\":\"p" + n + "\",\"userId\":"
                            + "\"poisoned\",\"name\":\"Refund Requested\",\"properties\":{\"items\":0}}");
                    for (int u = 0; u < 16; u++) {
                        events.append(",{\"id\":\"v").append(n).append('-').append(u)
                                .append("\",\"userId\":\"user-").append(u).append("\",\"name\":\"Viewed Product\"}");
                    }
                    JsonNode answer = expect(200, service.post("/v1/events", events.append("]}").toString())).body();
                    poisonSetAside.addAndGet(answer.path("failed").size());
                }
            });
            poison.start();
            try {
                for (int round = 0; round < 3; round++) {
                    String campaign = "sale-" + round;
                    service.liveCampaign(campaign, "multi_touch", "placed_order");
                    for (int u = 0; u < 16; u++) {
                        service.enroll(campaign, "user-" + u, "2026-11-01T10:00:00Z");
                    }
                    service.event("o" + round, "user-" + round, "Placed Order", "2026-11-02T10:00:00Z", null);
                    assertEquals("converted", service.status(campaign, "user-" + round));
                    JsonNode ended = expect(200, service.post("/v1/campaigns/" + campaign + "/end")).body();
                    assertEquals(15, ended.path("enrollmentsEnded").asInt(), ended.toString());
                    for (int u = 0; u < 16; u++) {
                        assertEquals(u == round ? "converted" : "exited", service.status(campaign, "user-" + u));
                    }
                }
            } finally {
                stop.set(true);
                poison.join();
            }
            assertTrue(poisonSetAside.get() > 0, "the poison kept failing meanwhile");
            assertEquals("active", service.status("winback", "poisoned"));
        }
    }

    @Test
    void aThrowingRuleFailsItsEventOnlyAndTheAnswerSaysWhatWasApplied() throws Exception {
        try (TestService service = startWithRefunds()) {
            service.liveCampaign("winback", "multi_touch", "refund_requested");
            // Enough users that the request touches every shard, the poisoned user's included.
            StringBuilder events = new StringBuilder("{\"events\":[");
            for (int u = 0; u < 16; u++) {
                service.enroll("winback", "user-" + u, "2026-11-01T10:00:00Z");
                events.append(u == 0 ? "" : ",").append("{\"id\":\"r").append(u).append("\",\"userId\":\"user-")
                        .append(u).append("\",\"name\":\"Refund Requested\",\"time\":\"2026-11-02T10:00:00Z\"")
                        .append(u == 5 ? ",\"properties\":{\"items\":0}" : "").append('}');
            }
            JsonNode answer = expect(200, service.post("/v1/events", events.append("]}").toString())).body();

            assertEquals(15, answer.path("accepted").asInt());
            assertEquals(1, answer.path("failed").size());
            JsonNode failed = answer.path("failed").get(0);
            assertEquals("r5", failed.path("id").asText());
            assertEquals("user-5", failed.path("userId").asText());
            assertEquals("A refund request converts the user out of every live campaign waiting for one",
                    failed.path("rule").asText());
            assertEquals("the rule failed: ArithmeticException: / by zero", failed.path("reason").asText());
            for (int u = 0; u < 16; u++) {
                assertEquals(u == 5 ? "active" : "converted", service.status("winback", "user-" + u), "user-" + u);
            }
            assertEquals(0, expect(200, service.get("/v1/users/user-5/performed?event=Refund%20Requested")).body()
                    .path("count").asInt(), "the failed event was not kept");

            JsonNode feed = expect(200, service.get("/v1/failed-events?after=0")).body();
            assertEquals(1, feed.path("failedEvents").size());
            JsonNode deadLetter = feed.path("failedEvents").get(0);
            assertEquals("r5", deadLetter.path("event").path("id").asText());
            assertEquals(0, deadLetter.path("event").path("properties").path("items").asInt());
            assertEquals("refund-requested.drl", deadLetter.path("rule").path("file").asText());
            assertEquals("the rule failed: ArithmeticException: / by zero", deadLetter.path("reason").asText());

            // Sent again with a fixed payload, the same id is evaluated, not taken for a duplicate.
            JsonNode again = expect(200, service.post("/v1/events", "{\"id\":\"r5\",\"userId\":\"user-5\","
                    + "\"name\":\"Refund Requested\",\"time\":\"2026-11-02T11:00:00Z\",\"properties\":{\"items\":2}}"))
                    .body();
            assertEquals(1, again.path("accepted").asInt());
            assertEquals("converted", service.status("winback", "user-5"));
            expect(200, service.get("/health/ready"));
        }
    }
}
