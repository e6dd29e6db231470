package com.conversionrules.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.CampaignType;
import com.conversionrules.rules.cases.PolicyFolder;
import com.conversionrules.rules.check.RulesGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder that passed the gate is read back compiled at the next start; any change to any file
 * under it, cases included, compiles and checks it again; a cache that does not read back is ignored.
 */
class CompiledRulesCacheTest {
    @TempDir
    Path dir;

    @Test
    void aFolderThatPassedBeforeIsReadBackCompiledAndConvertsTheSame() throws Exception {
        Path rules = ShippedRules.copyTo(dir.resolve("rules"));
        CompiledRulesCache cache = new CompiledRulesCache(dir.resolve("data"));
        LoadedRules compiled = RulesGate.load(rules, cache);
        LoadedRules readBack = RulesGate.load(rules, new CompiledRulesCache(dir.resolve("data")));

        assertEquals(compiled.version(), readBack.version());
        assertEquals(compiled.files(), readBack.files());
        assertEquals(compiled.conversionEvents().ids(), readBack.conversionEvents().ids());
        assertNotEquals(compiled.kieBase(), readBack.kieBase(), "read back, not the same object");
        try (PolicySession s = new PolicySession(readBack).liveCampaign("c1", CampaignType.MULTI_TOUCH, "placed_order")
                .enroll("c1", "u1", PolicySession.T0).event("e1", "u1", "Placed Order", PolicySession.T0 + 1, null)) {
            assertEquals(1, s.fire());
            assertEquals("placed-order.drl", s.exits.get(0).rule().file());
        }
    }

    @Test
    void aChangedCasesFileIsCheckedAgainAndRefusedWhenACaseFails() throws Exception {
        Path rules = dir.resolve("rules");
        PolicyFolder.withCases(rules, PolicyFolder.CONVERTS, PolicyFolder.BROWSING_DOES_NOT_CONVERT);
        CompiledRulesCache cache = new CompiledRulesCache(dir.resolve("data"));
        RulesGate.load(rules, cache);
        // Same policy file, so the same rules version; a case that now fails must still stop the load.
        PolicyFolder.withCases(rules, PolicyFolder.CONVERTS.replace("Placed Order", "Viewed Product"),
                PolicyFolder.BROWSING_DOES_NOT_CONVERT);
        RulesException refused = assertThrows(RulesException.class, () -> RulesGate.load(rules, cache));
        assertTrue(refused.getMessage().contains("placed-order.cases.yaml"), refused.getMessage());
    }

    @Test
    void aCacheThatDoesNotReadBackIsIgnored() throws Exception {
        Path rules = ShippedRules.copyTo(dir.resolve("rules"));
        Path data = dir.resolve("data");
        CompiledRulesCache cache = new CompiledRulesCache(data);
        String version = RulesGate.load(rules, cache).version();
        try (Stream<Path> files = Files.list(data.resolve("rules-cache"))) {
            for (Path file : files.toList()) {
                Files.write(file, new byte[] {1, 2, 3});
            }
        }
        assertEquals(version, RulesGate.load(rules, new CompiledRulesCache(data)).version(), "compiled again");
    }


}
