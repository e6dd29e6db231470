package com.conversionrules.model;

/**
 * A request the service refuses, with a message that tells the caller what to change. The HTTP
 * layer turns the kind into a status code; nothing was changed when one is thrown.
 */
public final class Rejection extends RuntimeException {
    public enum Kind { INVALID, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, TIMEOUT, CONFLICT, TOO_LARGE, UNPROCESSABLE,
        TOO_BUSY, UNAVAILABLE }

    private final Kind kind;

    public Rejection(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static Rejection invalid(String message) {
        return new Rejection(Kind.INVALID, message);
    }

    /** No key, or a key this service does not know. */
    public static Rejection unauthenticated(String message) {
        return new Rejection(Kind.UNAUTHENTICATED, message);
    }

    /** A known key of the wrong kind for the route. */
    public static Rejection forbidden(String message) {
        return new Rejection(Kind.FORBIDDEN, message);
    }

    public static Rejection tooLarge(String message) {
        return new Rejection(Kind.TOO_LARGE, message);
    }

    public static Rejection notFound(String message) {
        return new Rejection(Kind.NOT_FOUND, message);
    }

    /** The request did not arrive in time. */
    public static Rejection timeout(String message) {
        return new Rejection(Kind.TIMEOUT, message);
    }

    public static Rejection conflict(String message) {
        return new Rejection(Kind.CONFLICT, message);
    }

    public static Rejection unprocessable(String message) {
        return new Rejection(Kind.UNPROCESSABLE, message);
    }

    /** The service is behind; the caller should retry later. */
    public static Rejection tooBusy(String message) {
        return new Rejection(Kind.TOO_BUSY, message);
    }

    public static Rejection unavailable(String message) {
        return new Rejection(Kind.UNAVAILABLE, message);
    }
}
