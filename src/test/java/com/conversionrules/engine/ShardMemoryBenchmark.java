package com.conversionrules.engine;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Heap per active enrollment in a shard's session (the session and the shard's own tables, as the
 * service holds them), for campaigns waiting for one, two and four conversion events: 50 live
 * campaigns, users enrolled in one each, full GC before loading and once every rule has run.
 *
 * <pre>bench/shard-memory.sh [--size ENROLLMENTS]</pre>
 */
public final class ShardMemoryBenchmark {
    private static final String[] EVENTS = {"placed_order", "site_active", "opened_email", "clicked_email"};
    private static final String[] NAMES = {"Placed Order", "Active on Site", "Opened Email", "Clicked Email"};
    private static final int CAMPAIGNS = 50;
    private static final long T0 = 1_700_000_000_000L;

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        int size = options.contains("--size") ? Integer.parseInt(options.get(options.indexOf("--size") + 1)) : 1_000_000;
        LoadedRules rules = new RulesLoader(Path.of("rules")).load();
        System.out.printf("shard memory: %,d enrollments over %d campaigns, JVM %s, max heap %d MB%n", size, CAMPAIGNS,
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("conversion events per campaign | B/enrollment loaded | B/enrollment once rules have run "
                + "| ratio to one event");
        long one = 0;
        for (int goals : new int[] {1, 2, 4}) {
            long[] bytes = measure(rules, size, goals);
            one = goals == 1 ? bytes[1] : one;
            System.out.printf("%30d | %19d | %32d | %18.2f%n", goals, bytes[0], bytes[1], (double) bytes[1] / one);
        }
    }

    private static long[] measure(LoadedRules rules, int size, int goals) throws InterruptedException {
        List<String> campaignIds = new ArrayList<>();
        long before = usedAfterGc();
        ShardSession session = new ShardSession(rules, Metrics.inMemory());
        for (int c = 0; c < CAMPAIGNS; c++) {
            List<ConversionGoal> waits = new ArrayList<>();
            for (int g = 0; g < goals; g++) {
                waits.add(new ConversionGoal(EVENTS[(c + g) % EVENTS.length], null));
            }
            Campaign campaign = new Campaign("c" + c, "Campaign " + c, CampaignType.MULTI_TOUCH, waits, null, null, 0,
                    CampaignStatus.LIVE, T0, T0, null);
            session.putCampaign(campaign);
            campaignIds.add(campaign.id());
        }
        for (int u = 0; u < size; u++) {
            session.enroll(new Enrollment(campaignIds.get(u % CAMPAIGNS), "u" + u, T0));
        }
        session.settle();
        long loaded = (usedAfterGc() - before) / size;
        // Every rule evaluated once, by events of a user enrolled nowhere: nothing converts.
        for (int i = 0; i < NAMES.length; i++) {
            session.insert(new UserEvent("link-" + i, "nobody", NAMES[i], T0 + 1, "c0", Map.of(), 0));
            session.evaluate();
        }
        long run = (usedAfterGc() - before) / size;
        if (session.activeUsers("c0").size() != (size + CAMPAIGNS - 1) / CAMPAIGNS) {
            throw new IllegalStateException("enrollments went missing");
        }
        session.dispose();
        return new long[] {loaded, run};
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private ShardMemoryBenchmark() {
    }
}
