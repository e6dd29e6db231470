package com.conversionrules.engine;

/** A policy's right-hand side threw while evaluating a request; nothing of that request was kept. */
public final class RuleFailedException extends RuntimeException {
    RuleFailedException(String rule, Throwable cause) {
        super("the rule \"" + rule + "\" failed (" + rootMessage(cause) + "); nothing of this request was applied. "
                + "Fix the rule in the rules folder; the request will fail the same way until then", cause);
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
