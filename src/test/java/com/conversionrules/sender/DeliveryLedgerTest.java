package com.conversionrules.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** No delivery is queued twice while memory holds it or its result is uncommitted, and slots are per endpoint. */
class DeliveryLedgerTest {
    private final DeliveryLedger ledger = new DeliveryLedger(2);

    @Test
    void anAnsweredDeliveryFreesItsSlotButIsNotQueuedAgainUntilItsResultIsCommitted() {
        assertTrue(ledger.hold("1", "a") && ledger.start("a"));
        assertTrue(ledger.hold("2", "a") && ledger.start("a"));
        assertFalse(ledger.hasSlot("a"));

        ledger.answered("a");
        assertTrue(ledger.hasSlot("a"));
        assertFalse(ledger.hold("1", "a"), "answered, not yet recorded");
        assertEquals(2, ledger.unsettled());

        ledger.readStarted();
        ledger.recorded("1", "a");
        assertFalse(ledger.hold("1", "a"), "a read under way may predate the commit");
        ledger.readDone();
        ledger.readStarted();
        assertTrue(ledger.hold("1", "a"), "a read started after the commit sees the result");
    }

    @Test
    void aQueuedDeliveryIsHeldBeforeItTakesASlot() {
        assertTrue(ledger.hold("1", "a"));
        assertFalse(ledger.hold("1", "a"), "queued once");
        assertTrue(ledger.holds("1", "a"));
        assertEquals(1, ledger.held("a"));
        assertTrue(ledger.hasSlot("a"), "queued deliveries take no slot");
        assertTrue(ledger.hold("1", "b"), "the same exit to another endpoint is another delivery");
    }

    @Test
    void aDeliveryLetGoWithoutAnAttemptMayBeQueuedAgainAtOnce() {
        ledger.hold("1", "a");
        ledger.readStarted();
        ledger.dropped("1", "a");
        assertEquals(0, ledger.unsettled());
        assertEquals(0, ledger.held("a"));
        assertTrue(ledger.hold("1", "a"), "no result was committed, so what any read shows is right");
    }

    @Test
    void aFullEndpointDoesNotHoldUpAnother() {
        ledger.hold("11", "slow");
        ledger.hold("12", "slow");
        ledger.hold("13", "slow");
        assertTrue(ledger.start("slow"));
        assertTrue(ledger.start("slow"));
        assertFalse(ledger.start("slow"));
        assertTrue(ledger.hold("21", "fast") && ledger.start("fast"));
        assertTrue(ledger.hasSlot("fast"));
    }
}
