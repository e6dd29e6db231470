package com.conversionrules.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Which files in the rules folder are policies, and where each one's cases live. Drools only reads
 * decision tables named {@code *.drl.csv}, {@code *.drl.xls} or {@code *.drl.xlsx}; anything else
 * would be skipped without a word, so this list is the one place that decides.
 */
public final class PolicyFiles {
    /** Longest first, so {@code x.drl.csv} is not taken for a {@code .drl} file. */
    private static final List<String> POLICY_SUFFIXES = List.of(".drl.xlsx", ".drl.xls", ".drl.csv", ".drl");
    public static final String CASES_SUFFIX = ".cases.yaml";

    private PolicyFiles() {
    }

    public static boolean isPolicy(Path file) {
        return suffixOf(file.getFileName().toString()) != null;
    }

    public static boolean isDecisionTable(Path file) {
        String suffix = suffixOf(file.getFileName().toString());
        return suffix != null && !suffix.equals(".drl");
    }

    /** The policy files under the folder, in path order. */
    public static List<Path> list(Path rulesDir) throws IOException {
        return walk(rulesDir, PolicyFiles::isPolicy);
    }

    /** The case files under the folder, in path order. */
    public static List<Path> listCases(Path rulesDir) throws IOException {
        return walk(rulesDir, file -> file.getFileName().toString().endsWith(CASES_SUFFIX));
    }

    /** {@code placed-order.drl} and {@code placed-order.drl.csv} keep their cases in {@code placed-order.cases.yaml}. */
    public static Path casesFor(Path policy) {
        String name = policy.getFileName().toString();
        String suffix = suffixOf(name);
        String base = suffix == null ? name : name.substring(0, name.length() - suffix.length());
        return policy.resolveSibling(base + CASES_SUFFIX);
    }

    private static String suffixOf(String name) {
        return POLICY_SUFFIXES.stream().filter(name::endsWith).findFirst().orElse(null);
    }

    private static List<Path> walk(Path rulesDir, Predicate<Path> wanted) throws IOException {
        try (Stream<Path> walk = Files.walk(rulesDir)) {
            return walk.filter(Files::isRegularFile).filter(wanted)
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
    }
}
