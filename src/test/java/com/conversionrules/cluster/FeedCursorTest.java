package com.conversionrules.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.LogPosition;
import com.conversionrules.store.PositionedExit;
import com.conversionrules.store.StoredExit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cursor a cluster's exits feed gives: what it holds, and what it refuses with a message to act on. */
class FeedCursorTest {
    private static final String TOPIC = "conversion-rules.exits";

    private static PositionedExit at(int partition, long offset) {
        Exit exit = new Exit(0, "x-" + partition + "-" + offset, "c", "u", ExitReason.REMOVED, null, null, 0, null, 0);
        return new PositionedExit(new StoredExit(exit, List.of()), new LogPosition(partition, offset));
    }

    private static String refusal(String after, String topic, int partitions) {
        Rejection refused = assertThrows(Rejection.class, () -> FeedCursor.parse(after, topic, partitions));
        assertEquals(Rejection.Kind.INVALID, refused.kind());
        assertTrue(refused.getMessage().contains("leave after out"), refused.getMessage());
        return refused.getMessage();
    }

    @Test
    void absentEmptyOrZeroStartsBeforeEveryPartitionsFirstExit() {
        for (String after : new String[] {null, "", "0"}) {
            assertArrayEquals(new long[] {-1, -1, -1}, FeedCursor.parse(after, TOPIC, 3).offsets());
        }
    }

    @Test
    void aPageMovesEachPartitionToTheLastOffsetItHoldsOfItAndTheTokenCarriesThat() {
        FeedCursor start = FeedCursor.start(TOPIC, 4);
        FeedCursor next = start.past(List.of(at(2, 7), at(0, 3), at(2, 12), at(0, 4)));
        assertArrayEquals(new long[] {4, -1, 12, -1}, next.offsets());
        FeedCursor read = FeedCursor.parse(next.token(), TOPIC, 4);
        assertArrayEquals(new long[] {4, -1, 12, -1}, read.offsets());
        assertArrayEquals(new long[] {4, 1L << 40, 12, -1}, FeedCursor.parse(
                read.past(List.of(at(1, 1L << 40))).token(), TOPIC, 4).offsets());
        assertArrayEquals(next.offsets(), next.past(List.of()).offsets(), "an empty page leaves it where it was");
    }

    @Test
    void theTokenIsUrlSafeAndShortForTheDefaultPartitionCount() {
        FeedCursor cursor = FeedCursor.start(TOPIC, 12);
        for (int partition = 0; partition < 12; partition++) {
            cursor = cursor.past(List.of(at(partition, 50_000_000L + partition)));
        }
        String token = cursor.token();
        assertTrue(token.matches("[A-Za-z0-9_-]+"), token);
        assertTrue(token.length() < 100, token.length() + " characters: " + token);
    }

    @Test
    void aCursorCutShortOrChangedIsRefused() {
        String token = FeedCursor.start(TOPIC, 3).past(List.of(at(1, 99))).token();
        String changed = token.substring(0, 8) + (token.charAt(8) == 'A' ? 'B' : 'A') + token.substring(9);
        for (String broken : List.of(token.substring(0, token.length() - 2), changed, "not a cursor!", "AAAA",
                token + "AA")) {
            assertTrue(refusal(broken, TOPIC, 3).contains("exactly as it came"), broken);
        }
    }

    @Test
    void aCursorOfAnotherClusterOrPartitionCountIsRefused() {
        String token = FeedCursor.start(TOPIC, 3).past(List.of(at(1, 99))).token();
        assertTrue(refusal(token, "staging.exits", 3).contains("another cluster"));
        assertTrue(refusal(token, TOPIC, 6).contains("another cluster"));
        assertNotEquals(token, FeedCursor.start("staging.exits", 3).past(List.of(at(1, 99))).token());
    }

    @Test
    void anEmbeddedServicesWholeNumberCursorIsRefusedInACluster() {
        assertTrue(refusal("1234", TOPIC, 3).contains("embedded"));
    }
}
