package com.conversionrules.bench.storage;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The in-memory dedupe set per million events: heap per key (after a full GC), the time to add a
 * key (what a rebuild at restart pays per stored event) and to look one up (what each event pays),
 * for fastutil's LongOpenHashSet, the hand-written {@link FingerprintTable} sized to the window, and
 * a HashSet of boxed Longs for scale.
 */
final class DedupeSets {
    record Result(String name, int keys, double bytesPerKey, double addNanos, double lookupNanos) {
    }

    private interface KeySet {
        boolean add(long key);

        boolean contains(long key);
    }

    private DedupeSets() {
    }

    static Result[] measure(int keys) throws InterruptedException {
        return new Result[] {
            measure("fastutil LongOpenHashSet (load 0.75)", keys, () -> {
                LongOpenHashSet set = new LongOpenHashSet();
                return new KeySet() {
                    public boolean add(long key) {
                        return set.add(key);
                    }

                    public boolean contains(long key) {
                        return set.contains(key);
                    }
                };
            }),
            measure("hand-written, sized to the keys (load 0.75)", keys, () -> {
                FingerprintTable set = new FingerprintTable(keys, 0.75f);
                return new KeySet() {
                    public boolean add(long key) {
                        return set.add(key);
                    }

                    public boolean contains(long key) {
                        return set.contains(key);
                    }
                };
            }),
            measure("java.util.HashSet<Long>", keys, () -> {
                HashSet<Long> set = new HashSet<>();
                return new KeySet() {
                    public boolean add(long key) {
                        return set.add(key);
                    }

                    public boolean contains(long key) {
                        return set.contains(key);
                    }
                };
            }),
        };
    }

    private static Result measure(String name, int keys, Supplier<KeySet> factory) throws InterruptedException {
        run(factory.get(), 200_000); // compiled before it is timed
        long before = Heap.usedAfterGc();
        KeySet set = factory.get();
        long[] nanos = run(set, keys);
        long bytes = Heap.usedAfterGc() - before;
        return new Result(name, keys, bytes / (double) keys, nanos[0] / (double) keys, nanos[1] / (double) keys);
    }

    /** Adds {@code keys} random keys, then looks up as many, every other one a hit; the nanoseconds of each. */
    private static long[] run(KeySet set, int keys) {
        SplittableRandom random = new SplittableRandom(7);
        long start = System.nanoTime();
        for (int i = 0; i < keys; i++) {
            set.add(random.nextLong());
        }
        long adding = System.nanoTime() - start;
        SplittableRandom hits = new SplittableRandom(7);
        SplittableRandom misses = new SplittableRandom(8);
        int found = 0;
        start = System.nanoTime();
        for (int i = 0; i < keys; i++) {
            if (set.contains((i & 1) == 0 ? hits.nextLong() : misses.nextLong())) {
                found++;
            }
        }
        long looking = System.nanoTime() - start;
        if (found < keys / 2) {
            throw new IllegalStateException("the set lost keys: found " + found + " of " + keys / 2);
        }
        return new long[] {adding, looking};
    }
}
