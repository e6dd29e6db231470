package com.conversionrules.bench.storage;

import java.lang.management.ManagementFactory;

final class Heap {
    private Heap() {
    }

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
