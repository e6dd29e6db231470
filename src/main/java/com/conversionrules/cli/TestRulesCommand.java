package com.conversionrules.cli;

import com.conversionrules.rules.RulesLoader;
import com.conversionrules.rules.cases.CaseCoverage;
import com.conversionrules.rules.cases.CaseFileException;
import com.conversionrules.rules.cases.CaseReport;
import com.conversionrules.rules.cases.CaseResult;
import com.conversionrules.rules.cases.RuleCase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code test-rules [DIR]}: runs every case beside the policies with the real engine and prints one
 * line per case. Exit code 0 when all pass and each policy's cases convert on its own conversion
 * event at least once, 1 otherwise.
 */
public final class TestRulesCommand {
    private TestRulesCommand() {
    }

    public static int run(Path rulesDir, PrintStream out) {
        RulesLoader.Compilation compilation = new RulesLoader(rulesDir).compile();
        if (!compilation.ok()) {
            out.println("FAIL the rules do not compile, so no case can run:");
            compilation.errors().forEach(problem -> out.println("     " + problem));
            out.println("     run check-rules for every problem with its line and column");
            return 1;
        }
        CaseReport report;
        try {
            report = CaseReport.run(rulesDir, compilation.rules());
        } catch (IOException e) {
            out.println("FAIL cannot read the case files in " + rulesDir + ": " + e.getMessage());
            return 1;
        }
        for (CaseFileException unreadable : report.unreadable()) {
            out.println("FAIL " + unreadable.file() + ":" + unreadable.line() + ":" + unreadable.column() + ": "
                    + unreadable.getMessage());
        }
        if (report.results().isEmpty() && report.unreadable().isEmpty()) {
            out.println("FAIL no cases found: put a *.cases.yaml file beside each policy in " + rulesDir);
            return 1;
        }
        for (CaseResult result : report.results()) {
            RuleCase ruleCase = result.ruleCase();
            out.println((result.passed() ? "PASS " : "FAIL ") + ruleCase.file() + ": " + ruleCase.name());
            result.failures().forEach(failure -> out.println("     " + failure));
        }
        List<CaseCoverage.Gap> gaps = CaseCoverage.gaps(rulesDir, compilation.rules(),
                report.results().stream().map(CaseResult::ruleCase).toList());
        gaps.forEach(gap -> out.println("FAIL " + gap.casesFile() + ": " + gap.message()));
        int total = report.results().size();
        long failed = report.failed();
        out.println(count(total, "case") + ": " + (total - failed) + " passed, " + failed + " failed"
                + (report.unreadable().isEmpty() ? "" : "; " + count(report.unreadable().size(), "case file") + " unreadable")
                + (gaps.isEmpty() ? "" : "; " + count(gaps.size(), "case file") + " not testing its policy's conversion event"));
        return report.passed() && gaps.isEmpty() ? 0 : 1;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
