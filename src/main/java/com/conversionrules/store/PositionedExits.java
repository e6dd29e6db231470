package com.conversionrules.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The exits a cluster instance read from the exits topic, paged by their positions there. */
public interface PositionedExits {
    /**
     * The first {@code limit} exits in the order they were stored among those past {@code after}:
     * {@code after[p]} is the last offset already seen of partition {@code p}, -1 for none. The
     * store takes each partition's exits in offset order, so the page holds, of each partition, the
     * exits right after {@code after[p]}, with none skipped.
     */
    CompletableFuture<List<PositionedExit>> exitsAfter(long[] after, int limit);
}
