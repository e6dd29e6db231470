package com.conversionrules.rules.check;

import com.conversionrules.rules.DecisionTables;
import com.conversionrules.rules.PolicyFiles;
import com.conversionrules.rules.RulesException;
import com.conversionrules.rules.SourceText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A policy file as check-rules sees it: the text the analyst edits (for finding lines), and the DRL
 * Drools compiles from it (the same text for a .drl file; generated for a decision table).
 *
 * @param drl null when a decision table cannot be turned into DRL (the compile errors say why)
 */
record PolicySource(Path path, String file, SourceText text, String drl, boolean table) {

    static PolicySource read(Path path, String file) throws IOException {
        boolean table = PolicyFiles.isDecisionTable(path);
        boolean spreadsheet = table && !file.endsWith(".csv");
        // A spreadsheet is binary: there is no text to point into, only rows.
        String text = spreadsheet ? "" : Files.readString(path);
        String drl;
        try {
            drl = table ? DecisionTables.toDrl(path, file) : text;
        } catch (RulesException e) {
            drl = null;
        }
        return new PolicySource(path, file, new SourceText(text), drl, table);
    }

    /** The line in the analyst's file of a line of the DRL: itself, or the table row it came from. */
    int lineOf(int drlLine) {
        if (!table || drl == null || drlLine <= 0) {
            return drlLine;
        }
        return DecisionTables.rowOf(drl, drlLine);
    }

    /**
     * Where to point for a problem: the line given (when known) at the first needle found on it, else
     * the first needle found anywhere from {@code fromLine} on. For a CSV table the column is the
     * cell, as a spreadsheet shows it.
     */
    SourceText.Position locate(int line, List<String> needles, int column, int fromLine) {
        if (line > 0 && table && column > 0) {
            return new SourceText.Position(line, column); // Drools named the cell
        }
        if (line > 0) {
            int at = column > 0 ? column : needles.stream()
                    .map(needle -> text.line(line).indexOf(stripQuotesIfTable(needle)))
                    .filter(index -> index >= 0).findFirst().map(index -> index + 1)
                    .orElse(firstNonBlank(text.line(line)));
            return position(line, at);
        }
        for (String needle : needles) {
            Optional<SourceText.Position> found = text.find(stripQuotesIfTable(needle), fromLine);
            if (found.isPresent()) {
                return position(found.get().line(), found.get().column());
            }
        }
        return new SourceText.Position(1, 1);
    }

    private SourceText.Position position(int line, int charColumn) {
        return new SourceText.Position(line, table ? cellAt(text.line(line), charColumn) : charColumn);
    }

    /** In a CSV cell, a quoted DRL string shows without its quotes. */
    private String stripQuotesIfTable(String needle) {
        return table && needle.length() > 2 && needle.startsWith("\"") && needle.endsWith("\"")
                ? needle.substring(1, needle.length() - 1) : needle;
    }

    /** The 1-based cell of a CSV line that holds the 1-based character column. */
    private static int cellAt(String line, int charColumn) {
        int cell = 1;
        boolean quoted = false;
        for (int index = 0; index < Math.min(charColumn - 1, line.length()); index++) {
            char c = line.charAt(index);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cell++;
            }
        }
        return cell;
    }

    private static int firstNonBlank(String line) {
        for (int index = 0; index < line.length(); index++) {
            if (!Character.isWhitespace(line.charAt(index))) {
                return index + 1;
            }
        }
        return 1;
    }
}
