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
        assertTrue(ledger.start("e1 a", "a"));
        assertTrue(ledger.start("e2 a", "a"));
        assertFalse(ledger.hasRoom("a"));

        ledger.answered("a");
        assertTrue(ledger.hasRoom("a"));
        assertFalse(ledger.start("e1 a", "a"), "answered, not yet recorded");
        assertEquals(2, ledger.unsettled());

        ledger.readStarted();
        ledger.recorded("e1 a");
        assertFalse(ledger.start("e1 a", "a"), "a read under way may predate the commit");
        ledger.readDone();
        ledger.readStarted();
        assertTrue(ledger.start("e1 a", "a"), "a read started after the commit sees the result");
    }

    @Test
    void aResultThatCouldNotBeCommittedMaySendTheDeliveryAgain() {
        ledger.start("e1 a", "a");
        ledger.answered("a");
        ledger.notRecorded("e1 a");
        assertEquals(0, ledger.unsettled());
        assertTrue(ledger.start("e1 a", "a"));
    }

    @Test
    void aFullEndpointDoesNotHoldUpAnother() {
        ledger.start("e1 slow", "slow");
        ledger.start("e2 slow", "slow");
        assertFalse(ledger.start("e3 slow", "slow"));
        assertTrue(ledger.start("e1 fast", "fast"));
        assertTrue(ledger.hasRoom("fast"));
    }
}
