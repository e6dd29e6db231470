package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.conversionrules.logging.LogCapture;
import com.conversionrules.engine.Engine;
import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.RulesLoader;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that fails (here as a full disk fails it) fails exactly the requests in it; while the
 * store cannot write, requests are refused before they touch a session; the shards start again from
 * what the store holds; and once the disk takes writes, everything resumes without a restart.
 */
class StoreFailureTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private final AtomicBoolean diskFull = new AtomicBoolean();
    private Store store;
    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        store = new Store(new Database(dir), Metrics.inMemory(), () -> {
            if (diskFull.get()) {
                throw new SQLException("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
            }
        });
        engine = new Engine(new RulesLoader(Path.of("rules")).load(), store, 2, 64, 10_000, Clock.systemUTC(),
                () -> { }, Metrics.inMemory());
        engine.start();
        Campaign orders = new Campaign("orders", "orders", CampaignType.MULTI_TOUCH, "placed_order", null,
                CampaignStatus.LIVE, T0, T0, null);
        engine.loadCampaign(orders).join();
        engine.enroll("orders", List.of(new Enrollment("orders", "ann", T0), new Enrollment("orders", "bob", T0)))
                .join();
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
    }

    @Test
    void aFailedCommitFailsItsCallersThenWritesResumeByThemselves() throws Exception {
        diskFull.set(true);
        CompletionException failed;
        try (LogCapture log = LogCapture.of(StoreWriter.class)) {
            failed = assertThrows(CompletionException.class, () -> engine.evaluate(List.of(order("o1", "ann"))).join());
            assertTrue(log.messages(Level.ERROR).get(0).startsWith("The store could not commit"), "logged");
        }
        assertInstanceOf(StoreUnavailableException.class, failed.getCause());
        assertFalse(store.writable());
        assertTrue(store.failingNanos() > 0);

        CompletionException refused = assertThrows(CompletionException.class,
                () -> engine.evaluate(List.of(order("o2", "bob"))).join());
        assertInstanceOf(StoreUnavailableException.class, refused.getCause(), "refused at once while unwritable");
        assertThrows(CompletionException.class, () -> store.write(connection -> { }).join());

        diskFull.set(false);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!store.writable() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(store.writable(), "the probe found the disk writable again");

        // Ann's first order was never stored: sent again it is new, and the rebuilt session converts her.
        assertEquals(new EventsOutcome(1, 0), engine.evaluate(List.of(order("o1", "ann"))).join());
        assertEquals(new EventsOutcome(1, 0), engine.evaluate(List.of(order("o2", "bob"))).join());
        assertEquals(new CampaignStats(2, 0, 2, 0),
                store.read(connection -> EnrollmentRecords.stats(connection, "orders")).join());
        long campaignFacts = engine.shardCount();
        assertEquals(campaignFacts, engine.factCount().join(), "no enrollment is left behind in a session");
    }

    private static UserEvent order(String id, String user) {
        return new UserEvent(id, user, "Placed Order", T0 + 1, null, Map.of(), 0);
    }
}
