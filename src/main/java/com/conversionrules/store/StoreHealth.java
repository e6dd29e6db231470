package com.conversionrules.store;

/** Whether the store takes writes now, for health checks. */
public interface StoreHealth {
    /** False from a failed commit until a write succeeds again; commits then fail at once. */
    boolean writable();

    /** How long the store has been unable to write, in nanoseconds; 0 while it writes. */
    long failingNanos();
}
