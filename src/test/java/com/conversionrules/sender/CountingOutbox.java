package com.conversionrules.sender;

import com.conversionrules.store.ConfiguredEndpoint;
import com.conversionrules.store.DeliveryResult;
import com.conversionrules.store.DueDeliveries;
import com.conversionrules.store.DueRequest;
import com.conversionrules.store.Outbox;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An outbox that counts the sender's reads (and keeps what each asked for) before passing them on. */
final class CountingOutbox implements Outbox {
    private final Outbox store;
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicInteger readsDone = new AtomicInteger();
    final List<Map<String, DueRequest>> requests = new CopyOnWriteArrayList<>();

    CountingOutbox(Outbox store) {
        this.store = store;
    }

    int reads() {
        return reads.get();
    }

    /** Reads whose answer came back. */
    int readsDone() {
        return readsDone.get();
    }

    @Override
    public CompletableFuture<Set<String>> configureEndpoints(List<ConfiguredEndpoint> endpoints) {
        return store.configureEndpoints(endpoints);
    }

    @Override
    public CompletableFuture<Map<String, DueDeliveries>> due(Map<String, DueRequest> asked, long now) {
        reads.incrementAndGet();
        requests.add(Map.copyOf(asked));
        return store.due(asked, now).whenComplete((due, failure) -> readsDone.incrementAndGet());
    }

    @Override
    public CompletableFuture<Void> record(List<DeliveryResult> results) {
        return store.record(results);
    }
}
