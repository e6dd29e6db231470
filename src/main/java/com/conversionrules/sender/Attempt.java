package com.conversionrules.sender;

/**
 * What one delivery attempt came to: a 2xx delivers; 410 Gone disables the endpoint; 429 and 503
 * may say when to come back (Retry-After); anything else, or no answer at all, is retried.
 */
record Attempt(Integer status, Long retryAfterMillis, String failure) {

    static Attempt answered(int status, String retryAfterHeader, long now) {
        boolean mayAskToWait = status == 429 || status == 503;
        Long retryAfter = mayAskToWait ? RetryAfter.millis(retryAfterHeader, now) : null;
        String failure = status / 100 == 2 ? null
                : status == 410 ? "HTTP 410 Gone: endpoint disabled" : "HTTP " + status;
        return new Attempt(status, retryAfter, failure);
    }

    /** No answer: connection refused, timeout, TLS failure... */
    static Attempt unanswered(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new Attempt(null, null, message);
    }

    boolean delivered() {
        return status != null && status / 100 == 2;
    }

    boolean gone() {
        return status != null && status == 410;
    }
}
