package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TaskQueueTest {
    /** A task that says who added it and as which; its count is the number. */
    private static Task.CountFacts task(int producer, int number) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        done.complete((long) producer << 32 | number);
        return new Task.CountFacts(done);
    }

    private static long label(Task task) {
        return ((Task.CountFacts) task).done().join();
    }

    @Test
    void takesTasksInTheOrderTheyCameUpToTheBatchSize() throws Exception {
        TaskQueue queue = new TaskQueue();
        queue.add(task(0, 1));
        queue.addAll(List.of(task(0, 2), task(0, 3), task(0, 4)));
        List<Task> batch = new ArrayList<>();
        queue.takeInto(batch, 3);
        assertEquals(List.of(1L, 2L, 3L), batch.stream().map(TaskQueueTest::label).toList());
        batch.clear();
        queue.takeInto(batch, 3);
        assertEquals(List.of(4L), batch.stream().map(TaskQueueTest::label).toList());
        assertTrue(queue.isEmpty());
    }

    /** Four adders race a taker that keeps waiting: a wake-up lost between its look and its wait would hang it. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyTaskReachesTheTakerInEachAddersOrder() throws Exception {
        int producers = 4;
        int perProducer = 200_000;
        TaskQueue queue = new TaskQueue();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread adder = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    if (i % 3 == 0) {
                        queue.addAll(List.of(task(producer, i)));
                    } else {
                        queue.add(task(producer, i));
                    }
                    if (i % 1000 == 0) {
                        Thread.yield(); // lets the taker run dry and wait again
                    }
                }
            });
            adder.start();
            adders.add(adder);
        }
        start.countDown();
        int[] next = new int[producers];
        List<Task> batch = new ArrayList<>();
        for (int taken = 0; taken < producers * perProducer; taken += batch.size()) {
            batch.clear();
            queue.takeInto(batch, 64);
            for (Task task : batch) {
                long label = label(task);
                int producer = (int) (label >>> 32);
                assertEquals(next[producer]++, (int) label, "adder " + producer + "'s tasks out of order");
            }
        }
        for (Thread adder : adders) {
            adder.join();
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aWaitingTakerStopsWhenInterrupted() throws Exception {
        TaskQueue queue = new TaskQueue();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                queue.takeInto(new ArrayList<>(), 1);
                ended.complete(null);
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        taker.start();
        taker.interrupt();
        assertThrows(InterruptedException.class, () -> {
            throw ended.get(10, TimeUnit.SECONDS);
        });
    }
}
