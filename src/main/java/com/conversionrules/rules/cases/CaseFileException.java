package com.conversionrules.rules.cases;

/** A case file that cannot be read as cases, located at the line to fix. */
public final class CaseFileException extends Exception {
    private final String file;
    private final int line;
    private final int column;

    public CaseFileException(String file, int line, int column, String message) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
