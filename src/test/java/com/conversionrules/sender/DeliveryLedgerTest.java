package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** No delivery is sent twice while its result is unknown or uncommitted, and slots are per endpoint. */
class DeliveryLedgerTest {
    private final DeliveryLedger ledger = new DeliveryLedger(2);

    @Test
    void anAnsweredDeliveryFreesItsSlotButIsNotSentAgainUntilItsResultIsCommitted() {
        assertTrue(ledger.start(1L, "a"));
        assertTrue(ledger.start(2L, "a"));
        assertFalse(ledger.hasRoom("a"));

        ledger.answered("a");
        assertTrue(ledger.hasRoom("a"));
        assertFalse(ledger.start(1L, "a"), "answered, not yet recorded");
        assertEquals(2, ledger.unsettled());

        ledger.readStarted();
        ledger.recorded(1L);
        assertFalse(ledger.start(1L, "a"), "a read under way may predate the commit");
        ledger.readDone();
        ledger.readStarted();
        assertTrue(ledger.start(1L, "a"), "a read started after the commit sees the result");
    }

    @Test
    void aResultThatCouldNotBeCommittedMaySendTheDeliveryAgain() {
        ledger.start(1L, "a");
        ledger.answered("a");
        ledger.notRecorded(1L);
        assertEquals(0, ledger.unsettled());
        assertTrue(ledger.start(1L, "a"));
    }

    @Test
    void aFullEndpointDoesNotHoldUpAnother() {
        ledger.start(11L, "slow");
        ledger.start(12L, "slow");
        assertFalse(ledger.start(13L, "slow"));
        assertTrue(ledger.start(21L, "fast"));
        assertTrue(ledger.hasRoom("fast"));
    }
}
