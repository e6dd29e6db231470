package com.conversionrules.rules;

import com.conversionrules.engine.Engine;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.MemoryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real rules folder in the engine exactly as a shard runs it (one shard over an in-memory
 * store): campaigns saved through a campaign change, enrollments and events sent as requests.
 * Records the exits made and the rules that fired.
 */
final class PolicySession implements AutoCloseable {
    static final Path RULES = Path.of("rules");
    static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    static final double EVENT_VALUE = 150;

    final List<Exit> exits = new ArrayList<>();
    final List<String> fired = new ArrayList<>();
    private final MemoryStore store = new MemoryStore();
    private final Metrics metrics = Metrics.inMemory();
    private final Engine engine;
    private final List<UserEvent> waiting = new ArrayList<>();

    PolicySession(LoadedRules rules) {
        engine = new Engine(rules, store, 1, Engine.DEFAULT_MAX_BATCH, 100_000, Clock.systemUTC(), () -> { }, metrics);
        engine.start();
    }

    PolicySession liveCampaign(String id, CampaignType type, String conversionEvent) {
        return campaign(new Campaign(id, id, type, conversionEvent, null, CampaignStatus.LIVE, T0, T0, null));
    }

    PolicySession liveCampaign(String id, String conversionEvent, Duration conversionWindow) {
        return campaign(new Campaign(id, id, CampaignType.MULTI_TOUCH, conversionEvent,
                new ConversionWindow(conversionWindow), CampaignStatus.LIVE, T0, T0, null));
    }

    PolicySession liveCampaign(String id, String conversionEvent) {
        return liveCampaign(id, CampaignType.MULTI_TOUCH, conversionEvent);
    }

    PolicySession draftCampaign(String id, String conversionEvent) {
        return campaign(new Campaign(id, id, CampaignType.MULTI_TOUCH, conversionEvent, null, CampaignStatus.DRAFT, T0,
                null, null));
    }

    private PolicySession campaign(Campaign campaign) {
        engine.changeCampaign(campaign, true).join();
        return this;
    }

    /** Enrolls the user as the API does; throws what the service would refuse with. */
    PolicySession enroll(String campaignId, String userId, long at) {
        engine.enroll(campaignId, List.of(new Enrollment(campaignId, userId, at))).join();
        return this;
    }

    /** An event worth {@link #EVENT_VALUE}, enough for every shipped policy that looks at the value; sent at the next fire. */
    PolicySession event(String id, String userId, String name, long at, String campaignId) {
        waiting.add(new UserEvent(id, userId, name, at, campaignId, Map.of("value", EVENT_VALUE), EVENT_VALUE));
        return this;
    }

    /** Sends the events added since the last fire as one request; returns how many exits they made. */
    int fire() {
        int before = store.exits().size();
        engine.evaluate(List.copyOf(waiting)).join();
        waiting.clear();
        List<Exit> all = store.exits();
        exits.addAll(all.subList(before, all.size()));
        fired.clear();
        metrics.ruleFires().forEach((rule, count) -> {
            for (long i = 0; i < count; i++) {
                fired.add(rule);
            }
        });
        return all.size() - before;
    }

    long enrollmentsLeft() {
        return store.activeEnrollments().join().size();
    }

    @Override
    public void close() {
        engine.close();
    }
}
