package com.conversionrules.cli;

import com.conversionrules.rules.check.Finding;
import com.conversionrules.rules.check.RulesChecker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code check-rules [DIR]}: every problem in the rules folder as {@code file:line:column: level: message}.
 * Exit code 0 when there is no error (warnings allowed), 1 otherwise.
 */
public final class CheckRulesCommand {
    private CheckRulesCommand() {
    }

    public static int run(Path rulesDir, PrintStream out) {
        List<Finding> findings = RulesChecker.check(rulesDir);
        findings.forEach(out::println);
        long errors = findings.stream().filter(finding -> finding.level() == Finding.Level.ERROR).count();
        long warnings = findings.size() - errors;
        if (findings.isEmpty()) {
            out.println(rulesDir + ": no problems");
        } else {
            out.println(rulesDir + ": " + errors + (errors == 1 ? " error, " : " errors, ") + warnings
                    + (warnings == 1 ? " warning" : " warnings"));
        }
        return errors == 0 ? 0 : 1;
    }
}
