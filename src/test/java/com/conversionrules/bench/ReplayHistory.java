package com.conversionrules.bench;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.engine.Engine;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a data directory for the replay benchmark through the engine, as the service would: the
 * workload's 50 live campaigns, {@code --users} users enrolled one campaign each, and
 * {@code --events} events of theirs of which about 10% convert. Prints the time the history starts
 * at, for {@code simulate-rules --since}.
 *
 * <pre>bench/replay.sh</pre>
 */
public final class ReplayHistory {
    private static final int CHUNK = 10_000;

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        Path data = Path.of(options.get(options.indexOf("--data") + 1));
        int users = Integer.parseInt(options.get(options.indexOf("--users") + 1));
        int events = Integer.parseInt(options.get(options.indexOf("--events") + 1));
        LoadedRules rules = new RulesLoader(Path.of("rules")).load();
        try (Store store = new Store(data)) {
            Instant since = Instant.now();
            Engine engine = new Engine(rules, store, 2, Engine.DEFAULT_MAX_BATCH, 1_000_000, Clock.systemUTC(), () -> { },
                    Metrics.inMemory());
            engine.start();
            try (CampaignService campaigns = new CampaignService(engine, rules, Clock.systemUTC())) {
                for (int c = 0; c < Workload.CAMPAIGNS; c++) {
                    String id = "c" + c;
                    campaigns.create(new CampaignService.Draft(id, id, CampaignType.MULTI_TOUCH,
                            ConversionGoal.only(Workload.CONVERSION_EVENTS[c % Workload.CONVERSION_EVENTS.length]),
                            null, null, 0)).join();
                    campaigns.launch(id).join();
                }
                long enrolledAt = System.currentTimeMillis();
                for (int from = 0; from < users; from += CHUNK) {
                    List<CompletableFuture<?>> chunk = new ArrayList<>();
                    for (int c = 0; c < Workload.CAMPAIGNS; c++) {
                        List<Enrollment> enrollments = new ArrayList<>();
                        for (int u = from + c; u < Math.min(users, from + CHUNK); u += Workload.CAMPAIGNS) {
                            enrollments.add(new Enrollment("c" + c, Workload.userId(u), enrolledAt));
                        }
                        if (!enrollments.isEmpty()) {
                            chunk.add(engine.enroll("c" + c, enrollments));
                        }
                    }
                    CompletableFuture.allOf(chunk.toArray(CompletableFuture[]::new)).join();
                }
                SplittableRandom random = new SplittableRandom(1);
                List<CompletableFuture<?>> pending = new ArrayList<>();
                for (int from = 0; from < events; from += 1_000) {
                    List<UserEvent> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(events, from + 1_000); i++) {
                        int u = random.nextInt(users);
                        String name = random.nextInt(10) == 0
                                ? Workload.CONVERTING_NAMES[u % Workload.CAMPAIGNS % Workload.CONVERSION_EVENTS.length]
                                : "Viewed Product";
                        batch.add(new UserEvent("e" + i, Workload.userId(u), name, enrolledAt + 1 + i / 100,
                                Workload.campaignOf(u), Map.of(), 0));
                    }
                    pending.add(engine.evaluate(batch));
                    if (pending.size() == 16) {
                        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                        pending.clear();
                    }
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            } finally {
                engine.close();
            }
            System.out.println(since);
        }
    }

    private ReplayHistory() {
    }
}
