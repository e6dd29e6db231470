package com.conversionrules.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.crash.CrashCheck.Findings;
import com.conversionrules.crash.CrashRun.Report;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the packaged service with SIGKILL at random moments while concurrent clients stream
 * enrollments and events in, some of the kills while it recovers from the previous one (rebuilding
 * its sessions, or redelivering exits), restarts it on the same data directory, and checks that
 * nothing acknowledged was lost: every acknowledged event is reflected, every exit reached the
 * webhook receiver with one stable id, and the stats agree with a replay of the input. Clients
 * retry what was not acknowledged, as real ones do. {@code bench/crash.sh} runs the same with a
 * million active enrollments.
 *
 * <p>What it cannot prove: a SIGKILL leaves the operating system's page cache alone, so a commit
 * that was written but never synced survives it too. That acknowledgements survive a power cut rests
 * on {@code synchronous=FULL}, which {@code DatabaseTest} checks on the store's writer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashIT {
    private static final int USERS = 2_000;
    private static final int CLIENTS = 4;
    private static final int KILLS = 4;
    /** Of the kills, how many hit the restart that follows them, once it is recovering. */
    private static final int KILLS_DURING_RECOVERY = 2;
    private static final long SEED = Long.getLong("crash.seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void killingTheServiceLosesNothingAcknowledged() throws Exception {
        System.out.printf("crash test: seed %d (run again with -Dcrash.seed=%d)%n", SEED, SEED);
        CrashRun.Settings settings = new CrashRun.Settings(new CrashWorkload(USERS, false), CLIENTS, KILLS,
                KILLS_DURING_RECOVERY, false, "512m", Map.of("SHARDS", "2"), 0, 0, Duration.ofMinutes(3),
                Duration.ofSeconds(60), SEED);
        Report report = new CrashRun(settings).run(dir);
        Findings found = report.findings();
        System.out.printf("crash test: %d kills (%d of them while recovering), %d clients, %d requests acknowledged "
                        + "(%d sends, %d retries), %d exits, %d webhook deliveries, %d exits missing or with a "
                        + "second id%n", report.kills(), KILLS_DURING_RECOVERY, CLIENTS, report.acknowledgedRequests(),
                report.sent(), report.retries(), found.feedExits(), found.deliveries(),
                found.unreceived() + found.secondIds());

        assertEquals(KILLS_DURING_RECOVERY, report.recoveringKills(), "kills that met a restart before it was ready");
        assertEquals(0, found.undelivered(), "exits still undelivered after " + settings.deliveryPatience());
        assertEquals(0, found.wrongWebhookIds(), "webhook-id is the exit's id");
        assertTrue(found.missing().isEmpty() && found.unexpected().isEmpty(), "every acknowledged event converted "
                + "exactly what it should: " + found.missing().size() + " exits missing " + first(found.missing()) + ", "
                + found.unexpected().size() + " unexpected " + first(found.unexpected()));
        assertEquals(0, found.duplicatesOnFeed(), "no exit is on the feed twice");
        assertEquals(0, found.unreceived() + found.secondIds(), "every exit reached the receiver, always with the same id");
        assertEquals(0, found.phantoms(), "the receiver saw no exit the store lacks");
        assertEquals(List.of(), found.stats(), "the stats agree with the input");
        assertEquals(List.of(), found.users(), "every " + found.sampleStride()
                + "th user's view is stored once and their enrollments are as their events left them");
    }

    private static String first(Set<String> exits) {
        return exits.stream().limit(10).toList() + (exits.size() > 10 ? "..." : "");
    }
}
