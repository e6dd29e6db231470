package com.conversionrules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.EventHistory;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** One replay at a time, on its own thread, stopped when nobody waits for it. */
class SimulatorTest {

    /** A history whose reading waits until released, and says which thread read it. */
    private static final class Held implements EventHistory {
        final CountDownLatch release = new CountDownLatch(1);
        volatile String readOn;

        @Override
        public long retainedSince() {
            return 0;
        }

        @Override
        public List<Campaign> campaigns() {
            return List.of();
        }

        @Override
        public void forEachUser(String campaignId, long from, long until, BooleanSupplier keepGoing,
                                UserHistory consumer) {
            readOn = Thread.currentThread().getName();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aSecondSimulationWhileOneRunsIsRefusedAsBusyAndTakenOnceItEnds() {
        Held history = new Held();
        try (Simulator simulator = new Simulator(() -> history, Clock.systemUTC())) {
            CompletableFuture<Simulator.Result> first = simulator.simulate("c", 1, 2, List::of, () -> true);
            Rejection busy = assertThrows(Rejection.class,
                    () -> simulator.simulate("c", 1, 2, List::of, () -> true));
            assertEquals(Rejection.Kind.TOO_BUSY, busy.kind());
            history.release.countDown();
            assertEquals(0, first.join().report().enrollments());
            assertEquals("replay", history.readOn);
            assertEquals(0, simulator.simulate("c", 1, 2, List::of, () -> true).join().report().enrollments());
        }
    }

    @Test
    void aSimulationNobodyWaitsForAnyMoreFails() {
        Held history = new Held();
        history.release.countDown();
        try (Simulator simulator = new Simulator(() -> history, Clock.systemUTC())) {
            CompletableFuture<Simulator.Result> gone = simulator.simulate("c", 1, 2, List::of, () -> false);
            Throwable failure = assertThrows(Exception.class, gone::join).getCause();
            assertTrue(failure instanceof Rejection rejection && rejection.kind() == Rejection.Kind.TIMEOUT,
                    String.valueOf(failure));
        }
    }
}
