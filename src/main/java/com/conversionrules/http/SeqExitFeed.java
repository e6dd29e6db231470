package com.conversionrules.http;

import com.conversionrules.store.ReadModel;
import java.util.concurrent.CompletableFuture;

/** Embedded: the cursor is the seq the store gave the last exit read, a whole number. */
final class SeqExitFeed implements ExitFeed {
    private final ReadModel store;

    SeqExitFeed(ReadModel store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<Page> page(String after, int limit) {
        long from = Fields.number("after", after, 0, 0, Long.MAX_VALUE);
        return store.exitsAfter(from, limit).thenApply(exits -> new Page(exits,
                Long.toString(exits.isEmpty() ? from : exits.get(exits.size() - 1).exit().seq())));
    }
}
