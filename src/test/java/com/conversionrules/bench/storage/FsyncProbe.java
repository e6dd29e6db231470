package com.conversionrules.bench.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * What one sync costs on the disk under the data directory: append 4 KiB, then force it, as a
 * commit of a few events does. {@code force(false)} is fdatasync (what SQLite and RocksDB call),
 * {@code force(true)} is fsync.
 */
final class FsyncProbe {
    record Result(double p50Millis, double p99Millis, double meanMillis) {
    }

    private FsyncProbe() {
    }

    static Result measure(Path dir, int count, boolean metadata) throws IOException {
        Path file = Files.createTempFile(dir, "fsync-probe", ".bin");
        long[] nanos = new long[count];
        ByteBuffer page = ByteBuffer.allocateDirect(4096);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (int i = 0; i < count; i++) {
                page.clear();
                page.putLong(0, i);
                long start = System.nanoTime();
                while (page.hasRemaining()) {
                    channel.write(page);
                }
                channel.force(metadata);
                nanos[i] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(nanos);
        return new Result(nanos[count / 2] / 1e6, nanos[(int) (count * 0.99)] / 1e6,
                Arrays.stream(nanos).average().orElse(0) / 1e6);
    }
}
