package com.conversionrules.bench;

import com.conversionrules.model.Conversion;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Engine benchmark: the shipped rules in one KIE session, evaluated the way a shard does it
 * (batches of 100 events, one fire per batch, events deleted after), against the same logic
 * hand-written over HashMaps, with 10k, 100k and 1M active enrollments. Also the heap each active
 * enrollment costs: full GC before loading, then after loading and again once the rules have run
 * (Drools fills a rule's join memory when the rule is first evaluated, so only the second is the
 * steady state).
 *
 * <pre>bench/engine.sh [--quick] [--size ENROLLMENTS] [--events COUNT]</pre>
 */
public final class EngineBenchmark {
    private static final int BATCH = 100;

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        boolean quick = options.contains("--quick");
        int[] sizes = quick ? new int[] {10_000} : new int[] {10_000, 100_000, 1_000_000};
        int events = quick ? 200_000 : 2_000_000;
        if (options.contains("--size")) {
            sizes = new int[] {Integer.parseInt(options.get(options.indexOf("--size") + 1))};
        }
        if (options.contains("--events")) {
            events = Integer.parseInt(options.get(options.indexOf("--events") + 1));
        }
        LoadedRules rules = new RulesLoader(Path.of("rules")).load();
        System.out.printf("engine benchmark: %s, JVM %s, max heap %d MB, %d events per run, batches of %d%n",
                quick ? "quick" : "full", System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, events, BATCH);
        System.out.println("enrollments | engine events/s | hand-written events/s | engine/hand | engine B/enrollment "
                + "loaded | engine B/enrollment once rules have run | hand B/enrollment");
        for (int size : sizes) {
            List<UserEvent> warmup = new Workload(size).events(events / 4, 1);
            List<UserEvent> measured = new Workload(size).events(events, 2);

            // Each side's bytes include the enrollment objects themselves.
            long before = usedAfterGc();
            Workload workload = new Workload(size);
            KieSession session = rules.kieBase().newKieSession();
            int[] conversions = {0};
            session.registerChannel("sender", conversion -> {
                conversions[0]++;
                ((Conversion) conversion).event();
            });
            workload.campaigns.forEach(session::insert);
            workload.enrollments.forEach(session::insert);
            workload.enrollments.clear(); // from here only the session holds them
            long engineBytes = (usedAfterGc() - before) / size;
            // Every rule evaluated once, by events of a user enrolled nowhere: nothing converts.
            runEngine(session, Workload.linkingEvents());
            long engineRunBytes = (usedAfterGc() - before) / size;
            runEngine(session, warmup);
            conversions[0] = 0;
            double engineRate = rate(() -> runEngine(session, measured), measured.size());
            int engineConversions = conversions[0];
            session.dispose();

            before = usedAfterGc();
            HandWrittenConversions hand = new HandWrittenConversions();
            Workload fresh = new Workload(size);
            fresh.campaigns.forEach(hand::campaign);
            fresh.enrollments.forEach(hand::enroll);
            fresh.enrollments.clear();
            long handBytes = (usedAfterGc() - before) / size;
            warmup.forEach(hand::evaluate);
            hand.conversions = 0;
            double handRate = rate(() -> measured.forEach(hand::evaluate), measured.size());
            if (hand.conversions != engineConversions) {
                throw new IllegalStateException("the two disagree: engine " + engineConversions + " conversions, hand-written "
                        + hand.conversions);
            }
            System.out.printf("%,11d | %,15.0f | %,21.0f | %11.2f | %26d | %34d | %17d%n",
                    size, engineRate, handRate, engineRate / handRate, engineBytes, engineRunBytes, handBytes);
        }
    }

    /** Inserts a batch, fires once, deletes the events: one user's second event waits for the next fire. */
    private static void runEngine(KieSession session, List<UserEvent> events) {
        List<FactHandle> pending = new ArrayList<>(BATCH);
        Set<String> pendingUsers = new HashSet<>();
        for (UserEvent event : events) {
            if (pending.size() == BATCH || !pendingUsers.add(event.getUserId())) {
                fire(session, pending);
                pendingUsers.clear();
                pendingUsers.add(event.getUserId());
            }
            pending.add(session.insert(event));
        }
        fire(session, pending);
    }

    private static void fire(KieSession session, List<FactHandle> pending) {
        session.fireAllRules();
        pending.forEach(session::delete);
        pending.clear();
    }

    private static double rate(Runnable run, int events) {
        long start = System.nanoTime();
        run.run();
        return events / ((System.nanoTime() - start) / 1e9);
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private EngineBenchmark() {
    }
}
