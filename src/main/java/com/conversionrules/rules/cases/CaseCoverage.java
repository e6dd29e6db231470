package com.conversionrules.rules.cases;

import com.conversionrules.rules.ConversionEventDefinition;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.PolicyFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the cases beside a policy test that policy: at least one must convert on the policy's own
 * conversion event. Cases copied from another policy and never rewritten pass on their own while
 * testing nothing of the policy they sit beside.
 */
public final class CaseCoverage {
    /**
     * A cases file none of whose cases converts on its policy's conversion event.
     *
     * @param convertedInstead the conversion events its cases do convert on, possibly none
     */
    public record Gap(String casesFile, String policyFile, String conversionEvent, Set<String> convertedInstead) {
        public String message() {
            return "no case converts on '" + conversionEvent + "', the conversion event of " + policyFile
                    + (convertedInstead.isEmpty() ? "" : " (the cases convert on " + String.join(", ", convertedInstead)
                    + " instead)") + ": add a case whose expect.exits lists a user with conversionEvent: "
                    + conversionEvent;
        }
    }

    private CaseCoverage() {
    }

    /** Every policy whose cases file has cases, none of them converting on the policy's event. */
    public static List<Gap> gaps(Path rulesDir, LoadedRules rules, List<RuleCase> cases) {
        List<Gap> gaps = new ArrayList<>();
        for (ConversionEventDefinition definition : rules.conversionEvents().all()) {
            if (definition.file() == null) {
                continue;
            }
            String casesFile = rulesDir.relativize(PolicyFiles.casesFor(rulesDir.resolve(definition.file())))
                    .toString().replace('\\', '/');
            List<RuleCase> beside = cases.stream().filter(ruleCase -> ruleCase.file().equals(casesFile)).toList();
            if (beside.isEmpty() || beside.stream().anyMatch(ruleCase -> ruleCase.converts(definition.id()))) {
                continue;
            }
            Set<String> converted = new TreeSet<>();
            beside.forEach(ruleCase -> ruleCase.exits().stream().map(RuleCase.Placement::conversionEvent)
                    .filter(Objects::nonNull).forEach(converted::add));
            gaps.add(new Gap(casesFile, definition.file(), definition.id(), converted));
        }
        return gaps;
    }
}
