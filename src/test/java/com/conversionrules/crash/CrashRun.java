package com.conversionrules.crash;

import com.conversionrules.crash.CrashCheck.Findings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kills the packaged service with SIGKILL at random moments while concurrent clients stream a
 * {@link CrashWorkload} in, some of the kills followed by another while the restart recovers
 * (rebuilding its sessions, or redelivering exits), restarts it on the same data directory each
 * time, and hands what the service then holds to {@link CrashCheck}. Clients retry what was not
 * acknowledged, as real ones do, so the whole workload ends up acknowledged. Shared by
 * {@code CrashIT} and {@code CrashBenchmark}.
 */
final class CrashRun {
    /**
     * The log line that says a restart is recovering: the store is open and the active enrollments
     * are being read back; the sessions are not rebuilt yet.
     */
    private static final String RECOVERING = "Rules loaded from";
    private static final Pattern REBUILT = Pattern.compile("and (\\d+) active enrollments in (\\d+) ms");

    /**
     * How to run: {@code kills} under load, of which {@code killsDuringRecovery} are followed by a
     * kill of the restart once it recovers; {@code baselineRestart} kills and restarts once with no
     * client sending, after the preload, to time a restart with the same state and no load.
     */
    record Settings(CrashWorkload workload, int clients, int kills, int killsDuringRecovery, boolean baselineRestart,
            String heap, Map<String, String> env, int port, int receiverPort, Duration patience,
            Duration deliveryPatience, long seed) {
        Settings {
            if (kills < 1 || killsDuringRecovery < 0 || killsDuringRecovery > kills) {
                throw new IllegalArgumentException("kills must be at least 1 and kills during recovery from 0 to kills: "
                        + kills + ", " + killsDuringRecovery);
            }
        }
    }

    /** One restart: from launching the JVM to ready, and what its log says it rebuilt. */
    record Restart(Duration toReady, long activeEnrollments, long rebuildMs, boolean afterKillDuringRecovery) {
    }

    /** What the run did and what the checks found; the acknowledged counts are the clients' under load. */
    record Report(Settings settings, Duration preload, Restart baseline, Duration load, List<Restart> restarts,
            int recoveringKills, long acknowledgedRequests, long acknowledgedEvents, long acknowledgedEnrollments,
            long sent, long retries, Findings findings) {
        /** Every SIGKILL: those under load and those of a recovering restart. */
        int kills() {
            return settings.kills() + settings.killsDuringRecovery();
        }
    }

    private final Settings settings;
    private final CrashWorkload workload;

    CrashRun(Settings settings) {
        this.settings = settings;
        this.workload = settings.workload();
    }

    Report run(Path dir) throws Exception {
        Random random = new Random(settings.seed());
        ExecutorService threads = Executors.newFixedThreadPool(settings.clients() + 1);
        try (DeliveredExits receiver = new DeliveredExits(settings.receiverPort());
                ServiceProcess service = new ServiceProcess(dir.resolve("data"), dir.resolve("service.log"), env(receiver),
                        settings.port()).heap(settings.heap())) {
            PatientClient client = new PatientClient(service.port(), settings.patience());
            service.start();
            for (Call call : workload.campaigns()) {
                client.sendUntilAcknowledged(call);
            }
            long started = System.nanoTime();
            for (Call call : workload.preload()) {
                client.sendUntilAcknowledged(call);
            }
            Duration preload = Duration.ofNanos(System.nanoTime() - started);
            Restart baseline = null;
            if (settings.baselineRestart()) {
                service.kill();
                baseline = start(service, false);
            }

            long before = client.acknowledged();
            long enrollmentsBefore = client.acknowledgedEnrollments();
            List<Restart> restarts = new CopyOnWriteArrayList<>();
            AtomicInteger recoveringKills = new AtomicInteger();
            List<Long> killAt = killPoints(random);
            Set<Integer> hitRecovery = new HashSet<>();
            while (hitRecovery.size() < settings.killsDuringRecovery()) {
                hitRecovery.add(random.nextInt(settings.kills()));
            }
            started = System.nanoTime();
            Future<?> killer = threads.submit(() -> {
                int kill = 0;
                for (long at : killAt) {
                    while (client.acknowledged() - before < at) {
                        if (System.nanoTime() > client.deadline()) {
                            throw new IllegalStateException("the clients never reached request " + at);
                        }
                        Thread.sleep(1);
                    }
                    Thread.sleep(random.nextInt(30));
                    service.kill();
                    boolean killedRecovering = false;
                    if (hitRecovery.contains(kill++)) {
                        // Killed again once the restart has opened the store and is reading it back.
                        service.launch();
                        service.awaitLogged(RECOVERING);
                        boolean readyWhenKilled = service.ready();
                        service.kill();
                        if (!readyWhenKilled) {
                            recoveringKills.incrementAndGet();
                        }
                        killedRecovering = true;
                    }
                    restarts.add(start(service, killedRecovering));
                }
                return null;
            });
            AtomicInteger nextRound = new AtomicInteger();
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < settings.clients(); c++) {
                clients.add(threads.submit(() -> {
                    for (int round = nextRound.getAndIncrement(); round < workload.rounds();
                            round = nextRound.getAndIncrement()) {
                        for (Call call : workload.round(round)) {
                            client.sendUntilAcknowledged(call, killer);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : clients) {
                result(each);
            }
            result(killer);
            Duration load = Duration.ofNanos(System.nanoTime() - started);

            Findings findings = new CrashCheck(workload, client).check(receiver, settings.deliveryPatience());
            return new Report(settings, preload, baseline, load, List.copyOf(restarts), recoveringKills.get(),
                    client.acknowledged() - before, client.acknowledgedEvents(),
                    client.acknowledgedEnrollments() - enrollmentsBefore, client.sent(), client.retries(), findings);
        } finally {
            threads.shutdownNow();
        }
    }

    private Map<String, String> env(DeliveredExits receiver) {
        Map<String, String> env = new HashMap<>(settings.env());
        env.put("SENDER_WEBHOOK_URL", receiver.url());
        env.put("SENDER_WEBHOOK_SECRET", ServiceProcess.WEBHOOK_SECRET);
        return env;
    }

    /** Distinct points of the clients' progress, counted in acknowledged requests, where a kill comes. */
    private List<Long> killPoints(Random random) {
        long requests = (long) workload.rounds() * workload.callsPerRound();
        if (requests <= settings.kills()) {
            throw new IllegalArgumentException(settings.kills() + " kills need more than " + requests + " requests");
        }
        TreeSet<Long> at = new TreeSet<>();
        while (at.size() < settings.kills()) {
            at.add(1 + (long) (random.nextDouble() * (requests - 1)));
        }
        return List.copyOf(at);
    }

    private static Restart start(ServiceProcess service, boolean afterKillDuringRecovery) throws Exception {
        long started = System.nanoTime();
        service.start();
        Duration toReady = Duration.ofNanos(System.nanoTime() - started);
        Matcher rebuilt = REBUILT.matcher(service.loggedSinceLaunch());
        boolean found = rebuilt.find();
        return new Restart(toReady, found ? Long.parseLong(rebuilt.group(1)) : -1,
                found ? Long.parseLong(rebuilt.group(2)) : -1, afterKillDuringRecovery);
    }

    /** What a client or the killer returned; its failure as the run's own, with the seed to replay it. */
    private <T> T result(Future<T> future) throws InterruptedException {
        try {
            return future.get(settings.patience().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("seed " + settings.seed() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("seed " + settings.seed() + ": still running after " + settings.patience(), e);
        }
    }
}
