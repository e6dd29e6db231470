package com.conversionrules.store;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the engine needs of a store: the campaigns and active enrollments to rebuild its sessions
 * from, an index of event ids for dedupe, and durable commits of what each step changed. The shards
 * see nothing else, so the same engine runs over any store that gives these.
 */
public interface EngineStore extends StoreHealth {
    CompletableFuture<List<Campaign>> campaigns();

    CompletableFuture<List<Enrollment>> activeEnrollments();

    /** Every active enrollment, handed over {@code chunkSize} at a time as they are read. */
    CompletableFuture<Void> forEachActiveEnrollment(int chunkSize, Consumer<List<Enrollment>> chunks);

    /**
     * Receives the fingerprints ({@link EventKey#of} of user and event id) of the events the store
     * holds, each with its user id's {@code hashCode()}, which says which shard the key belongs to.
     */
    @FunctionalInterface
    interface EventKeySink {
        void seen(long key, int userHash, long receivedAt);
    }

    /**
     * The fingerprint of every event id kept since {@code since} (by when it was received), for the
     * engine's dedupe: read once at start and after a failure, never per event.
     */
    CompletableFuture<Void> recentEventKeys(long since, EventKeySink sink);

    /** A new index of past enrollments, for one shard's thread (re-entry rules). */
    EnrollmentIndex openEnrollmentIndex();

    /**
     * Makes the batch durable in the next group commit. {@code builtAt} is the {@link #epoch()} the
     * engine's state was at when it made the changes: a commit that failed since refuses them, as
     * they may build on changes the store never got.
     */
    CompletableFuture<Void> commit(ChangeBatch batch, long builtAt);

    /** Changes each time a commit fails. */
    long epoch();

    /** Completes once everything committed before it is durable. */
    CompletableFuture<Void> flush();
}
