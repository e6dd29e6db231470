package com.conversionrules.crash;

import java.time.Duration;

/**
 * One request of a crash workload, which a client sends again until it is acknowledged; {@code items}
 * counts the events or enrollments it carries.
 */
record Call(String method, String path, String contentType, String body, Duration timeout, int items) {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** A whole audience in one request: durable only once every line is, which takes seconds per million. */
    private static final Duration BULK_TIMEOUT = Duration.ofMinutes(10);

    static Call json(String method, String path, String body) {
        return new Call(method, path, "application/json", body, REQUEST_TIMEOUT, 0);
    }

    static Call events(String body, int events) {
        return new Call("POST", "/v1/events", "application/json", body, REQUEST_TIMEOUT, events);
    }

    static Call enrollments(String campaign, String body, int enrollments) {
        return new Call("POST", "/v1/campaigns/" + campaign + "/enrollments", "application/json", body, REQUEST_TIMEOUT,
                enrollments);
    }

    static Call audience(String campaign, String lines, int enrollments) {
        return new Call("POST", "/v1/campaigns/" + campaign + "/enrollments", "application/x-ndjson", lines, BULK_TIMEOUT,
                enrollments);
    }

    boolean isEvents() {
        return path.equals("/v1/events");
    }

    boolean isEnrollments() {
        return path.endsWith("/enrollments");
    }

    /** A create or launch answers 409 when it landed before a crash and is sent again after it. */
    boolean conflictMeansDone() {
        return path.startsWith("/v1/campaigns") && !isEnrollments();
    }
}
