package com.conversionrules.startup;

/** The service cannot start, for a reason one line can tell an operator (no stack trace needed). */
public final class StartupException extends Exception {
    public StartupException(String message) {
        super(message, null, false, false);
    }

    /** With the failure that caused it, for callers that tell one cause from another. */
    public StartupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
