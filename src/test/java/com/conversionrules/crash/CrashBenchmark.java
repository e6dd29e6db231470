package com.conversionrules.crash;

import com.conversionrules.crash.CrashCheck.Findings;
import com.conversionrules.crash.CrashRun.Report;
import com.conversionrules.crash.CrashRun.Restart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link CrashIT} at benchmark size: a million active enrollments loaded by one bulk NDJSON request,
 * then kill -9 again and again while clients stream events and enrollments at full speed, then the
 * same checks. Prints what was acknowledged, how long each restart took to ready with that state
 * against a restart of the same state with no load (the baseline, from the same run), and what the
 * checks found; exits 1 when anything acknowledged was lost or an exit duplicated.
 *
 * <pre>[USERS=1000000] [KILLS=5] [RECOVERY_KILLS=2] [CLIENTS=16] [SHARDS=n] [SEED=n] bench/crash.sh [--quick]</pre>
 * {@code --quick}: 20,000 users and 2 kills. The data directory is deleted after a clean run and
 * kept (its path printed) after a failed one.
 */
public final class CrashBenchmark {
    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int users = number("USERS", quick ? 20_000 : 1_000_000);
        int kills = number("KILLS", quick ? 2 : 5);
        int recoveryKills = number("RECOVERY_KILLS", kills / 2);
        int clients = number("CLIENTS", 16);
        long seed = Long.parseLong(System.getenv().getOrDefault("SEED", Long.toString(System.nanoTime())));
        Map<String, String> env = new HashMap<>();
        if (System.getenv("SHARDS") != null) {
            env.put("SHARDS", System.getenv("SHARDS"));
        }
        CrashRun.Settings settings = new CrashRun.Settings(new CrashWorkload(users, true), clients, kills, recoveryKills,
                true, System.getenv().getOrDefault("SERVICE_HEAP", "4g"), env, number("PORT", 0),
                number("RECEIVER_PORT", 0), Duration.ofMinutes(60), Duration.ofMinutes(10), seed);
        System.out.printf("crash benchmark: %,d users enrolled in orders by bulk NDJSON, then %d clients stream rounds of "
                        + "%d users (enroll them in visits, then their events) while the service is killed %d times under "
                        + "load, %d of them followed by a kill during recovery; seed %d (SEED=%d to replay)%n",
                users, clients, CrashWorkload.PER_ROUND, kills, recoveryKills, seed, seed);

        Path dir = Files.createTempDirectory("crash-bench");
        Report report;
        try {
            report = new CrashRun(settings).run(dir);
        } catch (Exception | AssertionError e) {
            System.out.println("result: FAILED (" + e.getMessage() + "); the data directory and service.log are kept in "
                    + dir);
            throw e;
        }
        print(report);
        if (report.findings().clean()) {
            delete(dir);
            System.out.println("result: nothing acknowledged lost, no exit duplicated");
        } else {
            System.out.println("result: FAILED; the data directory and service.log are kept in " + dir);
            System.exit(1);
        }
    }

    private static void print(Report report) {
        Findings found = report.findings();
        double loadSeconds = seconds(report.load());
        System.out.printf("preload: %,d enrollments by bulk NDJSON in %.2f s%n", report.settings().workload().users(),
                seconds(report.preload()));
        Restart baseline = report.baseline();
        System.out.printf("baseline: kill -9 with no load, then restart to ready: %.2f s (%s)%n", seconds(baseline.toReady()),
                rebuilt(baseline));
        System.out.printf("under load: %,d requests acknowledged in %.1f s (downtime included): %,d events (%,.0f/s), "
                        + "%,d enrollments; %,d sends, %,d retries%n", report.acknowledgedRequests(), loadSeconds,
                report.acknowledgedEvents(), report.acknowledgedEvents() / loadSeconds, report.acknowledgedEnrollments(),
                report.sent(), report.retries());
        System.out.printf("kills: %d (%d under load, %d of a restart that was recovering; %d met it before ready)%n",
                report.kills(), report.settings().kills(), report.settings().killsDuringRecovery(),
                report.recoveringKills());
        System.out.println("restart | to ready s | x baseline | active enrollments rebuilt | rebuild ms | after a kill during recovery");
        int n = 1;
        for (Restart restart : report.restarts()) {
            System.out.printf("%d | %.2f | %.2f | %,d | %,d | %s%n", n++, seconds(restart.toReady()),
                    seconds(restart.toReady()) / seconds(baseline.toReady()), restart.activeEnrollments(),
                    restart.rebuildMs(), restart.afterKillDuringRecovery() ? "yes" : "no");
        }
        System.out.printf("exits on the feed: %,d (%,d expected); webhook deliveries: %,d (%,d of them redeliveries of an "
                        + "id already received)%n", found.feedExits(),
                report.settings().workload().expectedExits().size(), found.deliveries(), found.redeliveries());
        System.out.printf("duplicates: %d (exits on the feed twice: %d, exits delivered under a second id: %d)%n",
                found.duplicates(), found.duplicatesOnFeed(), found.secondIds());
        System.out.printf("lost: %d (exits missing from the feed: %d, exits never delivered to the webhook: %d, "
                        + "sampled users whose view or enrollment is wrong: %d of %,d, every %dth)%n", found.lost(),
                found.missing().size(), found.unreceived(), found.users().size(), found.sampledUsers(),
                found.sampleStride());
        System.out.printf("also must be 0: unexpected exits %d, still undelivered %d, deliveries of exits not on the feed "
                        + "%d, webhook-id not the exit's id %d, stats that disagree %d%n", found.unexpected().size(),
                found.undelivered(), found.phantoms(), found.wrongWebhookIds(), found.stats().size());
        Stream.of(found.missing().stream().limit(10).map(e -> "missing exit " + e),
                        found.unexpected().stream().limit(10).map(e -> "unexpected exit " + e),
                        found.stats().stream(), found.users().stream().limit(10))
                .flatMap(s -> s).forEach(line -> System.out.println("  " + line));
    }

    private static String rebuilt(Restart restart) {
        return String.format("%,d active enrollments rebuilt in %,d ms", restart.activeEnrollments(), restart.rebuildMs());
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static int number(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
