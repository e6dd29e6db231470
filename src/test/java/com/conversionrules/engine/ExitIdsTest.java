package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Exit ids sort in the order they were made, so the store's unique indexes on them grow at the end. */
class ExitIdsTest {
    @Test
    void eachIdSortsAfterTheOneBeforeAndIsAVersion7Uuid() {
        String previous = ExitIds.next();
        for (int i = 0; i < 100_000; i++) {
            String id = ExitIds.next();
            assertTrue(id.compareTo(previous) > 0, id + " after " + previous);
            assertEquals(7, UUID.fromString(id).version());
            assertEquals(36, id.length());
            previous = id;
        }
    }
}
