package com.conversionrules.engine;

import java.util.ArrayList;
import java.util.List;

/** The tasks one thread admitted in its current turn, by shard, in the order they were admitted. */
final class TurnTasks {
    private final List<List<Task>> byShard;
    private int items;
    /** Whether the hand-over at the end of this turn is arranged (early hand-overs leave it in place). */
    private boolean endArranged;

    TurnTasks(int shards) {
        byShard = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) {
            byShard.add(new ArrayList<>());
        }
    }

    boolean endArranged() {
        return endArranged;
    }

    void endArranged(boolean arranged) {
        endArranged = arranged;
    }

    /** Events, enrollments and removals gathered (at least one a task). */
    int items() {
        return items;
    }

    void add(int shard, Task task) {
        byShard.get(shard).add(task);
        items += Math.max(1, task.items());
    }

    /** Queues every task on its shard and starts the next turn empty. */
    void queueOn(Shard[] shards) {
        for (int i = 0; i < shards.length; i++) {
            List<Task> tasks = byShard.get(i);
            if (!tasks.isEmpty()) {
                shards[i].submitAll(tasks);
                tasks.clear();
            }
        }
        items = 0;
    }
}
