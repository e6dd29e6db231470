package com.conversionrules.cluster;

import com.conversionrules.http.ExitFeed;
import com.conversionrules.store.PositionedExit;
import com.conversionrules.store.PositionedExits;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster instance's exits feed, paged by the exits' offsets on the exits topic instead of the
 * order this instance happened to store them in. Every instance reads every partition in offset
 * order, so a page is, of each partition, the exits right after the cursor; the next cursor moves
 * each partition to the last exit of it the page holds. Another instance, further behind or ahead,
 * continues from the same offsets: every exit once, none skipped.
 */
final class TopicExitFeed implements ExitFeed {
    private final PositionedExits store;
    private final String topic;
    private final int partitions;

    TopicExitFeed(PositionedExits store, String topic, int partitions) {
        this.store = store;
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public CompletableFuture<Page> page(String after, int limit) {
        FeedCursor from = FeedCursor.parse(after, topic, partitions);
        return store.exitsAfter(from.offsets(), limit).thenApply(page -> new Page(
                page.stream().map(PositionedExit::stored).toList(), from.past(page).token()));
    }
}
