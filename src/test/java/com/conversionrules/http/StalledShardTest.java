package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard stuck in one batch (here a rule that blocks on some events) fails readiness after
 * STALL_NOT_READY_AFTER and liveness after STALL_NOT_LIVE_AFTER, naming the shard; both come back
 * once it moves again.
 */
class StalledShardTest {
    @TempDir
    Path dir;

    @Test
    void aStuckShardFailsReadinessThenLivenessAndRecovers() throws Exception {
        Path rules = ReloadTest.copyShippedRules(dir.resolve("rules"));
        Files.writeString(rules.resolve("refund-requested.drl"), FailingRuleTest.REFUNDS.replace(
                "int share = ", "if ( $refund.getProperties().containsKey( \"slow\" ) ) { Thread.sleep( 4000 ); }\n"
                        + "                int share = "));
        Files.writeString(rules.resolve("refund-requested.cases.yaml"), FailingRuleTest.REFUND_CASES);
        try (TestService service = TestService.start(dir.resolve("data"), Map.of("RULES_DIR", rules.toString(),
                "STALL_NOT_READY_AFTER", "500ms", "STALL_NOT_LIVE_AFTER", "1500ms"))) {
            service.liveCampaign("winback", "multi_touch", "refund_requested");
            service.enroll("winback", "slowpoke", "2026-11-01T10:00:00Z");
            CompletableFuture<TestService.Reply> slow = CompletableFuture.supplyAsync(() -> service.post("/v1/events",
                    "{\"id\":\"r1\",\"userId\":\"slowpoke\",\"name\":\"Refund Requested\",\"properties\":{\"slow\":1}}"));

            TestService.Reply unready = awaitStatus(service, "/health/ready", 503);
            assertTrue(unready.detail().matches(".*shard-\\d has been in one batch for \\d+ s.*"), unready.detail());
            TestService.Reply dead = awaitStatus(service, "/health/live", 503);
            assertTrue(dead.detail().contains("in one batch"), dead.detail());

            assertEquals(1, expect(200, slow.get(30, TimeUnit.SECONDS)).body().path("accepted").asInt());
            awaitStatus(service, "/health/live", 200);
            awaitStatus(service, "/health/ready", 200);
        }
    }

    /** Polls until the route answers the status (a deadline of 20 s, not a measurement). */
    private static TestService.Reply awaitStatus(TestService service, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        TestService.Reply reply = service.get(path);
        while (reply.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(50);
            reply = service.get(path);
        }
        if (status >= 400) {
            problem(status, reply);
        } else {
            expect(status, reply);
        }
        return reply;
    }
}
