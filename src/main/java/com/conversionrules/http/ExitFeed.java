package com.conversionrules.http;

import com.conversionrules.store.StoredExit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How {@code GET /v1/exits} pages: embedded by the store's own order ({@link SeqExitFeed}), in a
 * cluster by the exits topic's positions, so that a cursor is valid on every instance.
 */
public interface ExitFeed {
    /**
     * The first {@code limit} exits after the cursor {@code after} (null or empty: from the first
     * exit), and the cursor after them. A cursor this feed cannot have given is refused (a
     * {@link com.conversionrules.model.Rejection}) with what to pass instead.
     */
    CompletableFuture<Page> page(String after, int limit);

    /** A page of exits and the cursor to continue from ({@code next}). */
    record Page(List<StoredExit> exits, String next) {
    }
}
