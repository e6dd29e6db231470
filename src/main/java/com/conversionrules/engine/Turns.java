package com.conversionrules.engine;

/**
 * The turns of the threads that hand the engine its requests. An event loop takes turns: it reads
 * every request that has arrived, then ends the turn. The engine queues what a turn admitted
 * together at its end, so a shard wakes once a turn instead of once a request.
 */
@FunctionalInterface
public interface Turns {
    /** Threads without turns: every request is queued as it is admitted. */
    Turns NONE = atEnd -> false;

    /**
     * Runs {@code atEnd} on the calling thread once its current turn is over and returns true, or
     * returns false (and never runs it) when the calling thread takes no turns.
     */
    boolean atEndOfTurn(Runnable atEnd);
}
