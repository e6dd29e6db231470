package com.conversionrules.sender;

import com.conversionrules.store.ConfiguredEndpoint;
import com.conversionrules.store.DeliveryResult;
import com.conversionrules.store.DueDeliveries;
import com.conversionrules.store.DueRequest;
import com.conversionrules.store.Outbox;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An outbox that answers each read with the next scripted answer (nothing due once the script is
 * used up), keeps every request with the time it came, and takes every result.
 */
final class ScriptedOutbox implements Outbox {
    /** A read as the sender asked it, and when ({@link System#nanoTime()}). */
    record Read(Map<String, DueRequest> requests, long atNanos) {
        DueRequest of(String endpoint) {
            return requests.get(endpoint);
        }
    }

    private final BlockingQueue<Function<Map<String, DueRequest>, CompletableFuture<Map<String, DueDeliveries>>>> script =
            new LinkedBlockingQueue<>();
    private final BlockingQueue<Read> reads = new LinkedBlockingQueue<>();
    final List<DeliveryResult> results = new CopyOnWriteArrayList<>();

    /** The next read gets this answer. */
    ScriptedOutbox then(Function<Map<String, DueRequest>, Map<String, DueDeliveries>> answer) {
        script.add(requests -> CompletableFuture.completedFuture(answer.apply(requests)));
        return this;
    }

    /** The next read fails. */
    ScriptedOutbox thenFail() {
        script.add(requests -> CompletableFuture.failedFuture(new IllegalStateException("the disk is gone")));
        return this;
    }

    /** The next read, waiting up to 30 s for it (a liveness bound). */
    Read nextRead() throws InterruptedException {
        Read read = reads.poll(30, TimeUnit.SECONDS);
        if (read == null) {
            throw new AssertionError("the sender did not read within 30 s");
        }
        return read;
    }

    /** A read made within the given time, or null. */
    Read readWithin(long millis) throws InterruptedException {
        return reads.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Set<String>> configureEndpoints(List<ConfiguredEndpoint> endpoints) {
        return CompletableFuture.completedFuture(Set.of());
    }

    @Override
    public CompletableFuture<Map<String, DueDeliveries>> due(Map<String, DueRequest> requests, long now) {
        reads.add(new Read(Map.copyOf(requests), System.nanoTime()));
        var next = script.poll();
        if (next == null) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return next.apply(requests);
    }

    @Override
    public CompletableFuture<Void> record(List<DeliveryResult> written) {
        results.addAll(written);
        return CompletableFuture.completedFuture(null);
    }
}
