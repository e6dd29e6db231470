package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index file itself: a large batch lands whole, with the mark of how far it takes the index, and
 * stays; entries spread over several in-memory tables and files all count; only the service's user
 * may read it.
 */
class PerformedFileTest {
    @TempDir
    Path dir;

    @Test
    void aLargeBatchKeepsEveryEntryAndMarksItsEnd() throws Exception {
        int events = 10_001;
        try (PerformedFile file = PerformedFile.open(dir, Duration.ofDays(90))) {
            PerformedFile.Batch batch = file.batch();
            for (int seq = 1; seq <= events; seq++) {
                batch.add(seq, seq % 2 == 0 ? "ann" : "bob", "Placed Order", 1_000L * seq);
            }
            batch.write(events);
            assertEquals(events, file.indexed());
            assertEquals(new Performed(events / 2, 1_000L * (events - 1)), file.performed("ann", "Placed Order", 0, 0));
            assertEquals(new Performed(events / 2 + 1, 1_000L * events), file.performed("bob", "Placed Order", 0, 0));
            assertEquals(new Performed(0, null), file.performed("ann", "Viewed Product", 0, 0));
        }
        try (PerformedFile reopened = PerformedFile.open(dir, Duration.ofDays(90))) {
            assertEquals(events, reopened.indexed());
            assertEquals(events / 2, reopened.performed("ann", "Placed Order", 0, 0).count());
        }
    }

    @Test
    void entriesSpreadOverSeveralMemtablesAndFilesAllCount() throws Exception {
        int batches = 30;
        int perBatch = 10_000; // 300,000 entries: several of the 8 MB memtables, unflushed until the close
        try (PerformedFile file = PerformedFile.open(dir, Duration.ofDays(90))) {
            for (int b = 0; b < batches; b++) {
                PerformedFile.Batch batch = file.batch();
                for (int i = 1; i <= perBatch; i++) {
                    long seq = (long) b * perBatch + i;
                    batch.add(seq, "user-" + (seq % 1_000), seq % 3 == 0 ? "Placed Order" : "Viewed Product", seq);
                }
                batch.write((long) (b + 1) * perBatch);
            }
            assertEquals(new Performed(100, 299_997L), file.performed("user-997", "Placed Order", 0, 0));
            assertEquals(new Performed(50, 299_997L), file.performed("user-997", "Placed Order", 150_001, 0));
        }
        try (PerformedFile reopened = PerformedFile.open(dir, Duration.ofDays(90))) {
            assertEquals((long) batches * perBatch, reopened.indexed());
            assertEquals(new Performed(100, 299_997L), reopened.performed("user-997", "Placed Order", 0, 0));
            assertEquals(new Performed(0, null), reopened.performed("user-997", "Clicked Email", 0, 0));
        }
    }

    @Test
    void theIndexFolderIsTheServiceUsersAlone() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path folder = Files.createDirectories(dir.resolve(PerformedFile.DIR_NAME));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x")); // as RocksDB made it
        try (PerformedFile file = PerformedFile.open(dir, Duration.ofDays(90))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        }
    }
}
