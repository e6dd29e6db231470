package com.conversionrules.rules.check;

import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.PolicyFiles;
import com.conversionrules.rules.RuleProblem;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.rules.SourceText;
import com.conversionrules.rules.cases.RuleCases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything check-rules reports about a rules folder: the compiler's errors, compiled exactly as the
 * service compiles them but worded for analysts and placed in their files, then our own checks.
 */
public final class RulesChecker {
    private static final Pattern SPREADSHEET = Pattern.compile(".*\\.(csv|xlsx?)$");

    private static final String DUPLICATE_RULE = "Duplicate rule name";
    private static final Pattern ALREADY_DEFINED = Pattern.compile("Rule Compilation error.*The type Rule_\\w+ is "
            + "already defined", Pattern.DOTALL);

    private RulesChecker() {
    }

    /**
     * What check-rules says of a folder, and the rules compiled from it when it says nothing at the
     * error level: the gate the service loads rules through, at start and at every reload.
     *
     * @param rules null when any finding is an error
     */
    public record Checked(List<Finding> findings, LoadedRules rules) {
        public List<Finding> errors() {
            return findings.stream().filter(finding -> finding.level() == Finding.Level.ERROR).toList();
        }

        public List<Finding> warnings() {
            return findings.stream().filter(finding -> finding.level() == Finding.Level.WARNING).toList();
        }
    }

    public static List<Finding> check(Path rulesDir) {
        return checkAndCompile(rulesDir).findings();
    }

    public static Checked checkAndCompile(Path rulesDir) {
        String folder = rulesDir.toString();
        if (!Files.isDirectory(rulesDir)) {
            return new Checked(List.of(Finding.error(folder, 0, 0, "the rules folder does not exist; pass the folder "
                    + "that holds the .drl policies")), null);
        }
        RulesLoader loader = new RulesLoader(rulesDir);
        Map<String, PolicySource> policies = new LinkedHashMap<>();
        RuleCases cases;
        try {
            for (Path path : PolicyFiles.list(rulesDir)) {
                String file = loader.relative(path);
                policies.put(file, PolicySource.read(path, file));
            }
            cases = RuleCases.read(rulesDir);
        } catch (IOException e) {
            return new Checked(List.of(Finding.error(folder, 0, 0, "cannot read the rules folder: " + e.getMessage())),
                    null);
        }

        List<Finding> findings = new ArrayList<>();
        RulesLoader.Compilation compilation = loader.compile();
        withoutEchoes(compilation.errors())
                .forEach(problem -> findings.add(located(problem, Finding.Level.ERROR, policies, folder)));
        compilation.warnings().forEach(problem -> findings.add(located(problem, Finding.Level.WARNING, policies, folder)));
        policies.values().forEach(policy -> findings.addAll(PolicyChecks.check(policy)));
        if (compilation.ok()) {
            findings.addAll(CaseChecks.check(rulesDir, compilation.rules(), policies, cases));
        }
        Set<String> casesOfPolicies = policies.values().stream()
                .map(policy -> loader.relative(PolicyFiles.casesFor(policy.path())))
                .collect(Collectors.toSet());
        findings.addAll(CaseChecks.orphans(rulesDir, cases, casesOfPolicies));
        findings.addAll(ignoredTables(rulesDir, loader));
        List<Finding> sorted = findings.stream().distinct()
                .sorted(Comparator.comparing(Finding::file).thenComparingInt(Finding::line)
                        .thenComparingInt(Finding::column))
                .toList();
        boolean clean = sorted.stream().noneMatch(finding -> finding.level() == Finding.Level.ERROR);
        return new Checked(sorted, clean ? compilation.rules() : null);
    }

    /**
     * A repeated rule name also makes Drools fail to compile the rule's generated class; that second
     * message names a Java type the analyst never wrote, so only the first is kept.
     */
    private static List<RuleProblem> withoutEchoes(List<RuleProblem> errors) {
        boolean duplicateNames = errors.stream().anyMatch(problem -> problem.message().startsWith(DUPLICATE_RULE));
        return errors.stream()
                .filter(problem -> !(duplicateNames && ALREADY_DEFINED.matcher(problem.message()).find()))
                .toList();
    }

    /** Spreadsheets Drools would skip without a word because of their name. */
    private static List<Finding> ignoredTables(Path rulesDir, RulesLoader loader) {
        try (var walk = Files.walk(rulesDir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(path -> SPREADSHEET.matcher(path.getFileName().toString()).matches())
                    .filter(path -> !PolicyFiles.isPolicy(path))
                    .map(path -> {
                        String name = path.getFileName().toString();
                        String renamed = name.replaceFirst("\\.(csv|xlsx?)$", ".drl.$1");
                        return Finding.warning(loader.relative(path), 0, 0, "this spreadsheet is ignored: Drools "
                                + "only reads decision tables named *.drl.csv, *.drl.xls or *.drl.xlsx; rename it to "
                                + renamed + " if it holds rules");
                    })
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A compiler problem reworded, at the line Drools gave or, without one, where its subject appears. */
    private static Finding located(RuleProblem problem, Finding.Level level, Map<String, PolicySource> policies,
                                   String folder) {
        DroolsMessages.Explained explained = DroolsMessages.explain(problem.message());
        PolicySource source = problem.file() == null ? null : policies.get(problem.file());
        if (source == null) {
            return new Finding(problem.file() == null ? folder : problem.file(), problem.line(), problem.column(),
                    level, explained.message());
        }
        int column = problem.column() > 0 ? problem.column() : explained.column();
        SourceText.Position at = explained.searchAfter() && problem.line() > 0
                ? source.locate(0, explained.needles(), 0, problem.line())
                : source.locate(problem.line(), explained.needles(), column, 1);
        return new Finding(source.file(), at.line(), at.column(), level, explained.message());
    }
}
