package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.conversionrules.Application;
import com.conversionrules.campaign.CampaignService;
import com.conversionrules.config.Config;
import com.conversionrules.logging.LogCapture;
import com.conversionrules.reload.LiveRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads in the log: campaigns created, launched and ended, rules loaded, and an access log on demand. */
class OperatorLogTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path rulesDir;

    @Test
    void campaignChangesAndRuleLoadsAreLoggedOneLineEach() throws Exception {
        try (var stream = Files.list(Path.of("rules"))) {
            for (Path file : stream.toList()) {
                Files.copy(file, rulesDir.resolve(file.getFileName()));
            }
        }
        try (LogCapture start = LogCapture.of(Application.class);
             TestService service = TestService.start(dataDir, Map.of(Config.RULES_DIR, rulesDir.toString(),
                     Config.RULES_POLL_SECONDS, "0"));
             LogCapture campaigns = LogCapture.of(CampaignService.class);
             LogCapture reloads = LogCapture.of(LiveRules.class)) {
            String loaded = start.messages(Level.INFO).stream().filter(line -> line.startsWith("Rules loaded"))
                    .findFirst().orElseThrow(() -> new AssertionError(start.messages(Level.INFO).toString()));
            assertTrue(loaded.matches("Rules loaded from .+: version \\w+, 7 files, \\d+ rules; conversion events "
                    + "none, .*placed_order.*"), loaded);

            service.liveCampaign("ops-1", "multi_touch", "placed_order");
            service.enroll("ops-1", "ops-ann", "2026-01-01T00:00:00Z");
            expect(200, service.post("/v1/campaigns/ops-1/end"));
            assertEquals(List.of(
                    "Campaign ops-1 created as a multi_touch draft, conversion event placed_order",
                    "Campaign ops-1 launched, converting on placed_order",
                    "Campaign ops-1 ended; 1 active enrollments exited"), campaigns.messages(Level.INFO));

            Files.delete(rulesDir.resolve("shopping-intent.drl.csv"));
            Files.delete(rulesDir.resolve("shopping-intent.cases.yaml"));
            expect(200, service.post("/v1/rules/reload"));
            List<String> reloaded = reloads.messages(Level.INFO);
            assertEquals(1, reloaded.size(), reloaded.toString());
            assertTrue(reloaded.get(0).matches("Rules reloaded from .+: version \\w+, 6 files, .*"), reloaded.get(0));
            assertFalse(reloaded.get(0).contains("shopping_intent"), reloaded.get(0));
        }
    }

    @Test
    void accessLogWritesOneLinePerRequestWithoutKeysWhenAsked() throws Exception {
        try (TestService service = TestService.start(dataDir, Map.of(Config.ACCESS_LOG, "true"));
             LogCapture access = LogCapture.of(AccessLog.class)) {
            expect(200, service.get("/v1/campaigns?limit=5"));
            service.get("/v1/nowhere");
            List<String> lines = access.messages(Level.INFO);
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("127\\.0\\.0\\.1 \"GET /v1/campaigns\\?limit=5\" 200 \\d+ bytes \\d+ ms"),
                    lines.get(0));
            assertTrue(lines.get(1).contains("\"GET /v1/nowhere\" 404"), lines.get(1));
            lines.forEach(line -> assertFalse(line.contains(TestService.ADMIN_KEY), line));
        }
    }

    @Test
    void withoutAccessLogNoRequestIsLogged() throws Exception {
        try (TestService service = TestService.start(dataDir);
             LogCapture access = LogCapture.of(AccessLog.class)) {
            expect(200, service.get("/v1/campaigns"));
            assertEquals(List.of(), access.messages(Level.INFO));
        }
    }
}
