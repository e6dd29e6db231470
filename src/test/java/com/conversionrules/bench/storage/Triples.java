package com.conversionrules.bench.storage;

import it.unimi.dsi.fastutil.Arrays;

/** Sorts (key, time, seq) triples packed in a long[] by key, then time, then seq. */
final class Triples {
    private Triples() {
    }

    static void sort(long[] triples, int count) {
        Arrays.quickSort(0, count, (a, b) -> {
            int byKey = Long.compare(triples[a * 3], triples[b * 3]);
            if (byKey != 0) {
                return byKey;
            }
            int byTime = Long.compare(triples[a * 3 + 1], triples[b * 3 + 1]);
            return byTime != 0 ? byTime : Long.compare(triples[a * 3 + 2], triples[b * 3 + 2]);
        }, (a, b) -> {
            for (int i = 0; i < 3; i++) {
                long swap = triples[a * 3 + i];
                triples[a * 3 + i] = triples[b * 3 + i];
                triples[b * 3 + i] = swap;
            }
        });
    }
}
