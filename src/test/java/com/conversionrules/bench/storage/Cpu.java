package com.conversionrules.bench.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of this process (every thread: RocksDB's compactions, GC and JIT included) and of the
 * current thread. On two cores shared with other work, CPU per event is steadier than events/s,
 * and it is what the engine has to share.
 */
final class Cpu {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Cpu() {
    }

    static long processNanos() {
        return OS.getProcessCpuTime();
    }

    static long threadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
