package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index file itself: a large batch lands whole, with the mark of how far it takes the index, and stays. */
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
}
