package com.conversionrules.store;

/**
 * The event ids a shard's users sent before, for dedupe. Each lookup reads the store: on SQLite a
 * B-tree probe (from its page cache, or from disk); it runs on the shard's own thread, so one index
 * per shard, closed with it.
 */
public interface EventIndex extends AutoCloseable {
    /** Whether this user already sent an event with this id (one that was kept, not set aside). */
    boolean seenBefore(String userId, String eventId);

    @Override
    void close();
}
