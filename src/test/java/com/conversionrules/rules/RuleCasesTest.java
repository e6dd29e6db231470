package com.conversionrules.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.conversionrules.rules.cases.CaseResult;
import com.conversionrules.rules.cases.CaseRunner;
import com.conversionrules.rules.cases.RuleCases;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The analysts' cases beside the shipped policies, one test per case, run on the real engine. */
class RuleCasesTest {

    @TestFactory
    Stream<DynamicTest> everyCaseBesideThePoliciesPasses() throws Exception {
        LoadedRules rules = new RulesLoader(PolicySession.RULES).load();
        RuleCases cases = RuleCases.read(PolicySession.RULES);
        assertFalse(cases.cases().isEmpty(), "the rules folder ships cases");
        CaseRunner runner = new CaseRunner(rules);
        Stream<DynamicTest> unreadable = cases.unreadable().stream().map(problem ->
                DynamicTest.dynamicTest(problem.file() + " can be read", () ->
                        fail(problem.file() + ":" + problem.line() + ":" + problem.column() + ": " + problem.getMessage())));
        Stream<DynamicTest> runs = cases.cases().stream().map(ruleCase ->
                DynamicTest.dynamicTest(ruleCase.file() + ": " + ruleCase.name(), () -> {
                    CaseResult result = runner.run(ruleCase);
                    assertTrue(result.passed(), () -> ruleCase.file() + ":" + ruleCase.line() + ": "
                            + String.join("\n", result.failures()));
                }));
        return Stream.concat(unreadable, runs);
    }
}
