package com.conversionrules.rules;

import java.util.List;
import java.util.Optional;

/**
 * The text of an analyst's file, for pointing at a line when a tool knows only what went wrong,
 * not where (Drools reports some errors at line 0 or -1).
 */
public final class SourceText {
    /** A 1-based line and column. */
    public record Position(int line, int column) {
    }

    private final List<String> lines;

    public SourceText(String text) {
        this.lines = text.lines().toList();
    }

    /** The first occurrence of the text at or after the given 1-based line. */
    public Optional<Position> find(String needle, int fromLine) {
        if (needle == null || needle.isEmpty()) {
            return Optional.empty();
        }
        for (int index = Math.max(0, fromLine - 1); index < lines.size(); index++) {
            int column = lines.get(index).indexOf(needle);
            if (column >= 0) {
                return Optional.of(new Position(index + 1, column + 1));
            }
        }
        return Optional.empty();
    }

    public Optional<Position> find(String needle) {
        return find(needle, 1);
    }

    /** The line's text, or an empty string past the end. */
    public String line(int number) {
        return number >= 1 && number <= lines.size() ? lines.get(number - 1) : "";
    }

    public int lineCount() {
        return lines.size();
    }
}
