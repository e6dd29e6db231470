package com.conversionrules.reload;

import com.conversionrules.rules.RuleProblem;
import java.time.Instant;
import java.util.List;

/**
 * What the last reload attempt did.
 *
 * @param outcome  {@code loaded}, {@code unchanged} (same contents as the running rules),
 *                 {@code invalid} (did not compile: {@code problems} says why) or {@code refused}
 *                 (compiled, but would strand live campaigns: {@code message} names them)
 * @param version  the version of the rules that were compiled, when they compiled
 */
public record ReloadReport(Instant at, String outcome, String version, List<RuleProblem> problems, String message) {
    static final String LOADED = "loaded";
    static final String UNCHANGED = "unchanged";
    static final String INVALID = "invalid";
    static final String REFUSED = "refused";

    /** Compiled, but refused because live campaigns use a conversion event it drops. */
    public boolean refused() {
        return REFUSED.equals(outcome);
    }

    public boolean applied() {
        return LOADED.equals(outcome) || UNCHANGED.equals(outcome);
    }
}
