package com.conversionrules.rules.check;

import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RuleProblem;
import com.conversionrules.rules.RulesException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the service takes a rules folder, at start and at every reload: only if check-rules passes it
 * (compiler errors, policy checks and the analysts' cases), refused otherwise with check-rules' own
 * words, so what the log and GET /v1/rules say is what an analyst runs at their desk.
 */
public final class RulesGate {
    private static final Logger LOG = LoggerFactory.getLogger(RulesGate.class);

    private RulesGate() {
    }

    public static LoadedRules load(Path rulesDir) throws RulesException {
        RulesChecker.Checked checked = RulesChecker.checkAndCompile(rulesDir);
        List<Finding> errors = checked.errors();
        if (!errors.isEmpty()) {
            throw new RulesException(errors.stream()
                    .map(error -> new RuleProblem(error.file(), error.line(), error.column(), error.message()))
                    .toList());
        }
        checked.warnings().forEach(warning -> LOG.warn("{}", warning));
        return checked.rules();
    }
}
