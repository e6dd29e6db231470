package com.conversionrules.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Ending the store's own threads (checkpointer, performed-event indexer) once told to stop. */
final class BackgroundThreads {
    private static final long WAIT_MILLIS = TimeUnit.SECONDS.toMillis(10);

    private BackgroundThreads() {
    }

    /** Wakes a thread that has been told to stop and waits for it, 10 s at most; true once it has ended. */
    static boolean awaitEnd(Thread thread) {
        LockSupport.unpark(thread);
        try {
            thread.join(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
