package com.conversionrules.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BinaryOperator;

/**
 * A request that spans shards, of which some parts were applied and kept and others were not (their
 * shard's write failed). The answer must say so: {@link #applied()} is what was kept. Sending the
 * whole request again is safe, as what was kept then counts as duplicates or already active.
 */
public final class PartlyApplied extends RuntimeException {
    private final transient Object applied;

    PartlyApplied(Object applied, Throwable cause) {
        super("part of the request was applied and part was not: " + cause.getMessage(), cause);
        this.applied = applied;
    }

    /** What the parts that were kept came to (an {@link EventsOutcome} or an {@link EnrollOutcome}). */
    public Object applied() {
        return applied;
    }

    /**
     * Waits for every part: all kept gives the combined outcome; none kept fails as the first part
     * failed; some kept fails with a {@link PartlyApplied} holding what was.
     */
    static <R> CompletableFuture<R> combine(List<CompletableFuture<R>> parts, BinaryOperator<R> combine, R empty) {
        if (parts.size() == 1) {
            return parts.get(0); // a single-shard request, most of them: nothing to wait for or combine
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((all, failure) -> {
            R kept = empty;
            Throwable firstFailure = null;
            int failed = 0;
            for (CompletableFuture<R> part : parts) {
                if (part.isCompletedExceptionally()) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = cause(part);
                    }
                } else {
                    kept = combine.apply(kept, part.join());
                }
            }
            if (failed == 0) {
                return kept;
            }
            throw new CompletionException(failed == parts.size() ? firstFailure : new PartlyApplied(kept, firstFailure));
        });
    }

    private static Throwable cause(CompletableFuture<?> part) {
        try {
            part.join();
            throw new IllegalStateException("the part did not fail");
        } catch (CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }
}
