package com.conversionrules.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The partitions this instance evaluates now, for health: each one's processor while its task runs here. */
final class PartitionTasks {
    private final Map<Integer, ShardProcessor> running = new ConcurrentHashMap<>();

    void started(int partition, ShardProcessor processor) {
        running.put(partition, processor);
    }

    void stopped(int partition, ShardProcessor processor) {
        running.remove(partition, processor);
    }

    /** Partitions stuck in one record for longer than {@code limit}, each described for an operator. */
    List<String> stalled(Duration limit) {
        List<String> stalled = new ArrayList<>();
        running.forEach((partition, processor) -> {
            long busy = processor.busyNanos();
            if (busy > limit.toNanos()) {
                stalled.add("partition " + partition + " has been on one record for "
                        + TimeUnit.NANOSECONDS.toSeconds(busy) + " s (a rule that blocks or runs for ever?)");
            }
        });
        return stalled;
    }

    int count() {
        return running.size();
    }
}
