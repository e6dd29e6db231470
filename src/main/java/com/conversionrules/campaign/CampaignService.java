package com.conversionrules.campaign;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Rejection;
import com.conversionrules.rules.ConversionEvents;
import com.conversionrules.rules.LoadedRules;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Campaign lifecycle: draft, live, ended. Each change is stored and put into every shard's session
 * as one step (see {@link CampaignLog#changeCampaign}): all of it or, when the store cannot write, none.
 * Changes run one at a time on their own thread, so two requests never interleave and no event
 * loop waits on them.
 */
public final class CampaignService implements AutoCloseable {
    private final CampaignLog engine;
    private volatile LoadedRules rules;
    private final Clock clock;
    private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
    private final ExecutorService changes = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "campaign-changes"));

    /** The fields a caller may set when creating a campaign. */
    public record Draft(String id, String name, CampaignType type, String conversionEvent,
                        ConversionWindow conversionWindow) {
    }

    /**
     * What a PATCH may change; null means unchanged. The window can also be removed, so whether it
     * changes is said apart from its new value.
     */
    public record Changes(String name, String conversionEvent, boolean windowChanged,
                          ConversionWindow conversionWindow) {
    }

    /**
     * A campaign that ended, and how many active enrollments ended with it: null in a cluster, where
     * each partition ends its own users moments after the answer.
     */
    public record Ended(Campaign campaign, Integer enrollmentsEnded) {
    }

    public CampaignService(CampaignLog engine, LoadedRules rules, Clock clock) {
        this.engine = engine;
        this.rules = rules;
        this.clock = clock;
    }

    /** Takes the campaigns read back from the store at start and puts them into every session. */
    public void restore(List<Campaign> stored) {
        stored.forEach(campaign -> campaigns.put(campaign.id(), campaign));
        stored.forEach(campaign -> engine.loadCampaign(campaign).join());
    }

    /** The rules every shard runs now. */
    public LoadedRules rules() {
        return rules;
    }

    /** The conversion events campaigns may name now. */
    public ConversionEvents conversionEvents() {
        return rules.conversionEvents();
    }

    /**
     * Moves every shard to newly compiled rules, unless they drop a conversion event a live campaign
     * uses. Runs in line with campaign changes, so no campaign can pick up an event that is going away.
     */
    public CompletableFuture<LoadedRules> switchRules(LoadedRules next) {
        return change(() -> {
            List<String> stranded = campaigns.values().stream()
                    .filter(campaign -> campaign.status() == CampaignStatus.LIVE)
                    .filter(campaign -> !next.conversionEvents().contains(campaign.conversionEvent()))
                    .map(campaign -> campaign.id() + " (" + campaign.conversionEvent() + ")")
                    .sorted()
                    .toList();
            if (!stranded.isEmpty()) {
                throw Rejection.conflict("the new rules remove conversion events that live campaigns use: "
                        + String.join(", ", stranded) + "; end those campaigns or change their conversion event first");
            }
            await(engine.swapRules(next));
            rules = next;
            return next;
        });
    }

    /**
     * A campaign as another instance of the cluster changed it, read from the campaigns topic. Taken
     * on this service's thread, in line with this instance's own changes.
     */
    public void observed(Campaign campaign) {
        changes.execute(() -> campaigns.put(campaign.id(), campaign));
    }

    public Collection<Campaign> all() {
        return campaigns.values();
    }

    public Optional<Campaign> find(String id) {
        return Optional.ofNullable(campaigns.get(id));
    }

    public Campaign require(String id) {
        return find(id).orElseThrow(() -> Rejection.notFound("no campaign with id '" + id + "'"));
    }

    public CompletableFuture<Campaign> create(Draft draft) {
        return change(() -> {
            if (campaigns.containsKey(draft.id())) {
                throw Rejection.conflict("a campaign with id '" + draft.id() + "' already exists; choose another id");
            }
            checkConversionEvent(draft.type(), draft.conversionEvent());
            Campaign campaign = new Campaign(draft.id(), draft.name(), draft.type(), draft.conversionEvent(),
                    draft.conversionWindow(), CampaignStatus.DRAFT, clock.millis(), null, null);
            return save(campaign, true);
        });
    }

    public CompletableFuture<Campaign> update(String id, Changes changes) {
        return change(() -> {
            Campaign campaign = require(id);
            if (campaign.status() == CampaignStatus.ENDED) {
                throw Rejection.conflict("campaign '" + id + "' has ended; an ended campaign cannot change");
            }
            if (changes.conversionEvent() != null) {
                checkConversionEvent(campaign.type(), changes.conversionEvent());
                campaign = campaign.withConversionEvent(changes.conversionEvent());
            }
            if (changes.name() != null) {
                campaign = campaign.withName(changes.name());
            }
            if (changes.windowChanged()) {
                campaign = campaign.withConversionWindow(changes.conversionWindow());
            }
            return save(campaign, false);
        });
    }

    public CompletableFuture<Campaign> launch(String id) {
        return change(() -> {
            Campaign campaign = require(id);
            return switch (campaign.status()) {
                case LIVE -> campaign;
                case ENDED -> throw Rejection.conflict("campaign '" + id + "' has ended and cannot be launched again");
                case DRAFT -> {
                    if (!conversionEvents().contains(campaign.conversionEvent())) {
                        throw Rejection.unprocessable("campaign '" + id + "' names the conversion event '"
                                + campaign.conversionEvent() + "', which no loaded rule defines; valid ids are "
                                + String.join(", ", conversionEvents().ids()));
                    }
                    yield save(campaign.launched(clock.millis()), false);
                }
            };
        });
    }

    public CompletableFuture<Ended> end(String id) {
        return change(() -> {
            Campaign campaign = require(id);
            if (campaign.status() == CampaignStatus.ENDED) {
                return new Ended(campaign, 0);
            }
            Campaign ended = campaign.ended(clock.millis());
            Integer enrollmentsEnded = await(engine.changeCampaign(ended, false));
            campaigns.put(id, ended);
            return new Ended(ended, enrollmentsEnded);
        });
    }

    /**
     * Ends the enrollments left active in campaigns the store says have ended. Versions before
     * campaign changes were made in one commit could leave some behind after a crash.
     */
    public int finishEndedCampaigns() {
        int ended = 0;
        for (Campaign campaign : campaigns.values()) {
            if (campaign.status() == CampaignStatus.ENDED) {
                Integer ending = engine.changeCampaign(campaign, false).join();
                ended += ending == null ? 0 : ending;
            }
        }
        return ended;
    }

    private void checkConversionEvent(CampaignType type, String conversionEvent) {
        ConversionEvents catalogue = conversionEvents();
        if (!catalogue.contains(conversionEvent)) {
            throw Rejection.unprocessable("unknown conversionEvent '" + conversionEvent + "'; valid ids are "
                    + String.join(", ", catalogue.ids()));
        }
        if (type == CampaignType.FLOW && !Campaign.NO_CONVERSION_EVENT.equals(conversionEvent)) {
            throw Rejection.unprocessable("a flow takes no conversion event (use \"none\"): flows branch on "
                    + "performed-event conditions, asked through GET /v1/users/{userId}/performed");
        }
    }

    /** Stores the campaign and puts it into every session: all of it, or nothing when the store cannot write. */
    private Campaign save(Campaign campaign, boolean isNew) {
        await(engine.changeCampaign(campaign, isNew));
        campaigns.put(campaign.id(), campaign);
        return campaign;
    }

    private <T> CompletableFuture<T> change(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, changes);
    }

    /** Waits on this service's own thread; rethrows a rejection as itself so callers see its message. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        changes.shutdown();
    }
}
