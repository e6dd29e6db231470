package com.conversionrules.rules;

/** One problem found while compiling the rules folder, located in the analyst's file. */
public record RuleProblem(String file, int line, int column, String message) {

    /** {@code file:line:column: error: message}, as check-rules prints an error. */
    @Override
    public String toString() {
        String where = file == null ? "rules" : file;
        if (line <= 0) {
            return where + ": error: " + message;
        }
        return where + ":" + line + ":" + Math.max(column, 1) + ": error: " + message;
    }
}
