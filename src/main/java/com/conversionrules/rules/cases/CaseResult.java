package com.conversionrules.rules.cases;

import java.util.List;

/** How one case went: passed, or every way the rules' behaviour differed from what it expects, in plain words. */
public record CaseResult(RuleCase ruleCase, List<String> failures) {
    public boolean passed() {
        return failures.isEmpty();
    }
}
