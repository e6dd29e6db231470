package com.conversionrules.rules.check;

import com.conversionrules.rules.ConversionEventDefinition;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.PolicyFiles;
import com.conversionrules.rules.SourceText;
import com.conversionrules.rules.cases.CaseFileException;
import com.conversionrules.rules.cases.CaseResult;
import com.conversionrules.rules.cases.CaseRunner;
import com.conversionrules.rules.cases.RuleCase;
import com.conversionrules.rules.cases.RuleCases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every policy is tested like code: it has cases beside it, one where its conversion event converts
 * and one where it must not, and they all pass.
 */
final class CaseChecks {
    private CaseChecks() {
    }

    static List<Finding> check(Path rulesDir, LoadedRules rules, Map<String, PolicySource> policies,
                               RuleCases cases) {
        List<Finding> findings = new ArrayList<>();
        for (CaseFileException unreadable : cases.unreadable()) {
            findings.add(Finding.error(unreadable.file(), unreadable.line(), unreadable.column(),
                    unreadable.getMessage()));
        }
        Set<String> unreadableFiles = cases.unreadable().stream().map(CaseFileException::file)
                .collect(Collectors.toSet());
        Map<String, List<ConversionEventDefinition>> byFile = rules.conversionEvents().all().stream()
                .filter(definition -> definition.file() != null)
                .collect(Collectors.groupingBy(ConversionEventDefinition::file));
        byFile.forEach((file, definitions) -> {
            PolicySource policy = policies.get(file);
            String casesFile = rulesDir.relativize(PolicyFiles.casesFor(rulesDir.resolve(file))).toString()
                    .replace('\\', '/');
            for (ConversionEventDefinition definition : definitions) {
                if (unreadableFiles.contains(casesFile)) {
                    continue;
                }
                findings.addAll(coverage(policy, casesFile, definition.id(), cases.inFile(casesFile),
                        Files.exists(rulesDir.resolve(casesFile))));
            }
        });
        CaseRunner runner = new CaseRunner(rules);
        for (RuleCase ruleCase : cases.cases()) {
            CaseResult result = runner.run(ruleCase);
            for (String failure : result.failures()) {
                findings.add(Finding.error(ruleCase.file(), ruleCase.line(), 1,
                        "case \"" + ruleCase.name() + "\" fails: " + failure));
            }
        }
        return findings;
    }

    private static List<Finding> coverage(PolicySource policy, String casesFile, String id, List<RuleCase> cases,
                                          boolean exists) {
        if (!exists) {
            SourceText.Position at = policy == null ? new SourceText.Position(1, 1)
                    : policy.locate(0, List.of("conversionEvent(\"" + id + "\")", id), 0, 1);
            return List.of(Finding.error(policy == null ? casesFile : policy.file(), at.line(), at.column(),
                    "no cases for conversion event '" + id + "': write " + casesFile + " beside this policy, with a "
                            + "case where " + id + " converts and one where it must not (see rules/README.md)"));
        }
        List<Finding> findings = new ArrayList<>();
        if (cases.stream().noneMatch(ruleCase -> ruleCase.converts(id))) {
            findings.add(Finding.error(casesFile, 1, 1, "no case converts on '" + id + "': add a case whose "
                    + "expect.exits lists a user with conversionEvent: " + id));
        }
        if (cases.stream().allMatch(ruleCase -> ruleCase.converts(id))) {
            findings.add(Finding.error(casesFile, 1, 1, "no case shows when '" + id + "' must not convert: add a "
                    + "case where an event must not count (another event, another user, before enrolling, after "
                    + "the window) with 'exits: []' and the user under 'active:'"));
        }
        return findings;
    }

    /** Case files whose policy is not there: their cases still run, but nothing says what they test. */
    static List<Finding> orphans(Path rulesDir, RuleCases cases, Set<String> casesOfPolicies) {
        return cases.cases().stream().map(RuleCase::file).distinct()
                .filter(file -> !casesOfPolicies.contains(file))
                .map(file -> Finding.warning(file, 1, 1, "no policy beside these cases: name them after the policy "
                        + "they test, e.g. placed-order.cases.yaml for placed-order.drl"))
                .toList();
    }
}
