package com.conversionrules.rules.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules folder passes check-rules without a warning: every policy compiles, declares its
 * conversion event, has cases that convert and cases that must not, and waits for known event names.
 */
class ShippedRulesCheckTest {
    @Test
    void theShippedRulesHaveNothingToReport() {
        assertEquals(List.of(), RulesChecker.check(Path.of("rules")).stream().map(Finding::toString).toList());
    }
}
