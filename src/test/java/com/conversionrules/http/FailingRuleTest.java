package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule whose right side throws fails the batch it ran in: those requests get a 500 and nothing of
 * them is kept, the shard starts again from the store, and the service goes on.
 */
class FailingRuleTest {
    private static final String EXPLODING = """
            package policies;

            import com.conversionrules.model.Campaign;
            import com.conversionrules.model.Conversion;
            import com.conversionrules.model.Enrollment;
            import com.conversionrules.model.UserEvent;

            rule "A refund crashes the analyst's half-finished policy"
                @conversionEvent("refunded")
            when
                $refund : UserEvent( name == "Refund" )
                $enrollment : Enrollment( userId == $refund.userId )
            then
                delete( $enrollment );
                throw new IllegalStateException("half-finished policy");
            end
            """;

    @TempDir
    Path dir;

    @Test
    void aThrowingRuleFailsItsBatchAndTheShardRecoversFromTheStore() throws Exception {
        Path rules = ReloadTest.copyShippedRules(dir.resolve("rules"));
        Files.writeString(rules.resolve("refunded.drl"), EXPLODING);
        try (TestService service = TestService.start(dir.resolve("data"),
                Map.of("RULES_DIR", rules.toString(), "SHARDS", "1"))) {
            service.liveCampaign("shop", "multi_touch", "placed_order");
            service.enroll("shop", "ann", "2026-11-01T10:00:00Z");

            TestService.Reply crashed = service.post("/v1/events",
                    "{\"id\":\"r1\",\"userId\":\"ann\",\"name\":\"Refund\",\"time\":\"2026-11-02T10:00:00Z\"}");

            problem(500, crashed);
            assertEquals("the rule \"A refund crashes the analyst's half-finished policy\" failed "
                    + "(IllegalStateException: half-finished policy); nothing of this request was applied. "
                    + "Fix the rule in the rules folder; the request will fail the same way until then", crashed.detail());
            assertEquals("active", service.status("shop", "ann"), "the deleted enrollment came back from the store");
            assertEquals(0, expect(200, service.get("/v1/users/ann/performed?event=Refund")).body()
                    .path("count").asInt(), "nothing of the failed batch was stored");
            service.event("o1", "ann", "Placed Order", "2026-11-02T11:00:00Z", null);
            assertEquals("converted", service.status("shop", "ann"));
            expect(200, service.get("/health/ready"));
        }
    }
}
