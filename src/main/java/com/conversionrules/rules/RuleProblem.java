package com.conversionrules.rules;

/** One problem found while compiling the rules folder, located in the analyst's file. */
public record RuleProblem(String file, int line, int column, String message) {

    /** {@code file:line: message}, the form printed at start-up and reported by the API. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file == null ? "rules" : file);
        if (line > 0) {
            out.append(':').append(line);
        }
        return out.append(": ").append(message).toString();
    }
}
