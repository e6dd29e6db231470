package com.conversionrules.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rows of the shipped decision table, read from the file itself, so tests that count its rules
 * or its errors follow what analysts add or remove.
 */
public final class ShippedDecisionTable {
    public static final Path FILE = Path.of("rules", "shopping-intent.drl.csv");
    /** The first cell of the header row; every non-blank line below it is one rule. */
    private static final String HEADER = "\"Rule (a sentence)\"";

    private ShippedDecisionTable() {
    }

    /** The rule names: the first cell of each row under the header. */
    public static List<String> ruleNames() {
        try {
            List<String> lines = Files.readAllLines(FILE);
            int header = lines.stream().map(String::strip).toList().indexOf(lines.stream()
                    .filter(line -> line.startsWith(HEADER)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(FILE + " has no header row " + HEADER)).strip());
            return lines.subList(header + 1, lines.size()).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> line.substring(1, line.indexOf('"', 1)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
