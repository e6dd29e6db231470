package com.conversionrules.rules.check;

import java.util.Locale;

/**
 * One thing check-rules has to say about a file, at a line and column the analyst can open.
 * Errors stop the rules from being used; warnings are worth a look.
 */
public record Finding(String file, int line, int column, Level level, String message) {

    public enum Level {
        ERROR, WARNING;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Finding error(String file, int line, int column, String message) {
        return new Finding(file, line, column, Level.ERROR, message);
    }

    public static Finding warning(String file, int line, int column, String message) {
        return new Finding(file, line, column, Level.WARNING, message);
    }

    /** {@code file:line:column: level: message}, as compilers print it; a folder-wide finding has no line. */
    @Override
    public String toString() {
        if (line <= 0) {
            return file + ": " + level + ": " + message;
        }
        return file + ":" + line + ":" + Math.max(column, 1) + ": " + level + ": " + message;
    }
}
