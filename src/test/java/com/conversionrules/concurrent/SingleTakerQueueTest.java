package com.conversionrules.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SingleTakerQueueTest {
    private final SingleTakerQueue<Long> queue = new SingleTakerQueue<>();

    @Test
    void takesItemsInTheOrderTheyCameUpToTheBatchSize() throws Exception {
        queue.add(1L);
        queue.addAll(List.of(2L, 3L, 4L));
        List<Long> batch = new ArrayList<>();
        queue.takeInto(batch, 3);
        assertEquals(List.of(1L, 2L, 3L), batch);
        batch.clear();
        queue.takeInto(batch, 3);
        assertEquals(List.of(4L), batch);
        assertTrue(queue.isEmpty());
    }

    @Test
    void aTimedTakeGivesUpWhenNothingComesAndTakesWhatDoes() throws Exception {
        List<Long> batch = new ArrayList<>();
        assertFalse(queue.takeInto(batch, 10, 20, TimeUnit.MILLISECONDS));
        assertEquals(List.of(), batch);
        Thread adder = new Thread(() -> queue.add(7L));
        adder.start();
        assertTrue(queue.takeInto(batch, 10, 10, TimeUnit.SECONDS));
        assertEquals(List.of(7L), batch);
        adder.join();
    }

    @Test
    void drainTakesEverythingWaitingWithoutWaiting() {
        List<Long> drained = new ArrayList<>();
        queue.drainInto(drained);
        assertEquals(List.of(), drained);
        queue.addAll(List.of(1L, 2L, 3L));
        queue.drainInto(drained);
        assertEquals(List.of(1L, 2L, 3L), drained);
        assertTrue(queue.isEmpty());
    }

    /** Four adders race a taker that keeps waiting: a wake-up lost between its look and its wait would hang it. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyItemReachesTheTakerInEachAddersOrder() throws Exception {
        int adders = 4;
        int perAdder = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int a = 0; a < adders; a++) {
            long adder = a;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perAdder; i++) {
                    long item = adder << 32 | i;
                    if (i % 3 == 0) {
                        queue.addAll(List.of(item));
                    } else {
                        queue.add(item);
                    }
                    if (i % 1000 == 0) {
                        Thread.yield(); // lets the taker run dry and wait again
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        int[] next = new int[adders];
        List<Long> batch = new ArrayList<>();
        for (int taken = 0; taken < adders * perAdder; taken += batch.size()) {
            batch.clear();
            queue.takeInto(batch, 64);
            for (long item : batch) {
                int adder = (int) (item >>> 32);
                assertEquals(next[adder]++, (int) item, "adder " + adder + "'s items out of order");
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(queue.isEmpty());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aWaitingTakerStopsWhenInterrupted() throws Exception {
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
