package com.conversionrules.startup;

import com.conversionrules.engine.Engine;
import com.conversionrules.model.Enrollment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The active enrollments read back at start, handed to the shards chunk by chunk as the store reads
 * them: the shards load while the store still reads, instead of after. Chunks read before the
 * engine holds its campaigns wait here.
 */
public final class EnrollmentFeed {
    private final List<List<Enrollment>> waiting = new ArrayList<>();
    private final List<CompletableFuture<Void>> loads = new ArrayList<>();
    private Engine engine;
    private long count;

    /** A chunk the store read; called on a store thread. */
    public synchronized void accept(List<Enrollment> chunk) {
        count += chunk.size();
        if (engine == null) {
            waiting.add(chunk);
        } else {
            loads.add(engine.load(chunk));
        }
    }

    /** The engine holds every campaign now: chunks go to it from here on. */
    public synchronized void start(Engine ready) {
        this.engine = ready;
        waiting.forEach(chunk -> loads.add(ready.load(chunk)));
        waiting.clear();
    }

    /** Completes with how many enrollments were loaded, once the read is done and every chunk is in a session. */
    public CompletableFuture<Long> loaded(CompletableFuture<Void> read) {
        return read.thenCompose(done -> {
            synchronized (this) {
                return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
            }
        }).thenApply(done -> {
            synchronized (this) {
                return count;
            }
        });
    }
}
