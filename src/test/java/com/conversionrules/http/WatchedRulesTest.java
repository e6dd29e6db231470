package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running service notices a changed rules folder by itself. */
class WatchedRulesTest {
    @TempDir
    Path dir;

    @Test
    void aFileDroppedIntoTheFolderIsPickedUp() throws Exception {
        Path rules = ReloadTest.copyShippedRules(dir.resolve("rules"));
        try (TestService service = TestService.start(dir.resolve("data"),
                Map.of("RULES_DIR", rules.toString(), "RULES_POLL_SECONDS", "1"))) {
            Files.writeString(rules.resolve("added-to-wishlist.cases.yaml"), ReloadTest.WISHLIST_CASES);
            Files.writeString(rules.resolve("added-to-wishlist.drl"), ReloadTest.WISHLIST);
            JsonNode lastReload = null;
            for (int attempt = 0; attempt < 300 && lastReload == null; attempt++) {
                JsonNode shown = expect(200, service.get("/v1/rules")).body().path("lastReload");
                lastReload = shown.isObject() ? shown : null;
                if (lastReload == null) {
                    Thread.sleep(100);
                }
            }
            if (lastReload == null) {
                throw new AssertionError("the service never reloaded the changed folder");
            }
            assertEquals("loaded", lastReload.path("outcome").asText());
            service.liveCampaign("wish", "multi_touch", "added_to_wishlist");
        }
    }
}
