package com.conversionrules.bench.storage;

import java.util.List;
import java.util.function.Consumer;

/**
 * One storage design under measurement: the shard's dedupe check, the writer's group commit, and
 * what a restart and the read side ask of it. Each call is what the service would do at that point;
 * the benchmark times them.
 */
interface Candidate extends AutoCloseable {
    /** How a user performed an event since a time: the answer of GET /v1/users/{id}/performed. */
    record Performed(long count, long last) {
        static final Performed NONE = new Performed(0, -1);
    }

    /**
     * The shard's check before it evaluates an event: true if the key was stored before or taken
     * earlier in this commit; otherwise the key is remembered as taken.
     */
    boolean duplicate(StoredEvent event) throws Exception;

    /** Adds one shard batch to the commit being built. */
    void write(ShardBatch batch) throws Exception;

    /** Makes everything written since the last commit durable: one fsync, returns after it. */
    void commit() throws Exception;

    /** One chunk of a bulk enrollment, committed durably. */
    void enroll(List<StoredEnrollment> chunk) throws Exception;

    /** Finishes the work the design defers off the hot path (an index, compactions); returns when done. */
    void catchUp() throws Exception;

    /** Restart: fills the in-memory dedupe set from the store, keys received at or after {@code since}. */
    long rebuildDedupe(long since) throws Exception;

    /** Restart: every active enrollment, as the shards load them. */
    void readActive(Consumer<StoredEnrollment> consumer) throws Exception;

    Performed performed(String userId, String name, long since) throws Exception;

    @Override
    void close() throws Exception;
}
