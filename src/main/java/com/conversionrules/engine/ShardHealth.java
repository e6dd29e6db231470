package com.conversionrules.engine;

import java.time.Duration;
import java.util.List;

/** What health checks ask of the shards, wherever they run. */
public interface ShardHealth {
    /** Shards that made no progress for longer than {@code limit}, each described for an operator; empty when all do. */
    List<String> stalled(Duration limit);

    /** Why this instance should get no traffic now apart from stalls (such as partitions still restoring); empty when none. */
    default List<String> notReady() {
        return List.of();
    }
}
