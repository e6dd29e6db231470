package com.conversionrules.store;

/** The store could not make a change durable; nothing of the request was acknowledged. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(Throwable cause) {
        super("the store could not save the change: " + cause.getMessage(), cause);
    }
}
