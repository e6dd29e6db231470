package com.conversionrules.rules;

import java.util.List;
import java.util.stream.Collectors;

/** The rules folder cannot be used; carries every problem found, not just the first. */
public final class RulesException extends Exception {
    private final List<RuleProblem> problems;

    public RulesException(List<RuleProblem> problems) {
        super(problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }
}
