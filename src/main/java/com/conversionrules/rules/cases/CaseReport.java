package com.conversionrules.rules.cases;

import com.conversionrules.rules.LoadedRules;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every case in a rules folder played against compiled rules: how each went, and the case files
 * that could not be read. What {@code test-rules} prints and the console's rules page shows.
 *
 * @param rulesVersion the version of the rules the cases ran against
 */
public record CaseReport(String rulesVersion, List<CaseResult> results, List<CaseFileException> unreadable) {

    /** Reads the case files under {@code rulesDir} and runs each case against {@code rules}. */
    public static CaseReport run(Path rulesDir, LoadedRules rules) throws IOException {
        RuleCases cases = RuleCases.read(rulesDir);
        CaseRunner runner = new CaseRunner(rules);
        List<CaseResult> results = new ArrayList<>(cases.cases().size());
        for (RuleCase ruleCase : cases.cases()) {
            results.add(runner.run(ruleCase));
        }
        return new CaseReport(rules.version(), results, cases.unreadable());
    }

    public long failed() {
        return results.stream().filter(result -> !result.passed()).count();
    }

    /** Every case passed, every case file was read, and there was at least one case. */
    public boolean passed() {
        return failed() == 0 && unreadable.isEmpty() && !results.isEmpty();
    }
}
