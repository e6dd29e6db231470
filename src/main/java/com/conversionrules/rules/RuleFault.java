package com.conversionrules.rules;

import org.kie.api.runtime.rule.Match;

/**
 * A rule's right-hand side threw while the engine fired it. The engine goes on firing the other
 * matches; whoever owns the session decides what the failed match's facts become.
 */
public record RuleFault(Match match, Throwable cause) {

    /** The innermost cause, as "Type: message", for an operator or an analyst to read. */
    public String reason() {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
