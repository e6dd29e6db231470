package com.conversionrules.campaign;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Reentry;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaign lifecycle: draft, live, ended. Each change is stored and put into every shard's session
 * as one step (see {@link CampaignLog#changeCampaign}): all of it or, when the store cannot write, none.
 * Changes run one at a time on their own thread, so two requests never interleave and no event
 * loop waits on them.
 */
public final class CampaignService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignService.class);
    private final CampaignLog engine;
    private volatile LoadedRules rules;
    private final Clock clock;
    private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
    private final ExecutorService changes = Executors.newSingleThreadExecutor(
            runnable -> new Thread(runnable, "campaign-changes"));

    /** The fields a caller may set when creating a campaign. */
    public record Draft(String id, String name, CampaignType type, List<ConversionGoal> goals,
                        ConversionWindow conversionWindow, Reentry reentry, int holdoutPercent) {
    }

    /**
     * What a PATCH may change; null means unchanged. The window can also be removed, so whether it
     * changes is said apart from its new value.
     */
    public record Changes(String name, List<ConversionGoal> goals, boolean windowChanged,
                          ConversionWindow conversionWindow, Reentry reentry, Integer holdoutPercent) {
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
                    .filter(campaign -> !missing(campaign, next).isEmpty())
                    .map(campaign -> campaign.id() + " (" + String.join(", ", missing(campaign, next)) + ")")
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
     * A campaign as the cluster changed it (this instance or another), read from the campaigns topic
     * in its order; see {@link CampaignLog#feedsCatalogue}.
     */
    public void observed(Campaign campaign) {
        campaigns.put(campaign.id(), campaign);
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
            checkConversionEvents(draft.type(), draft.goals());
            Campaign campaign = new Campaign(draft.id(), draft.name(), draft.type(), draft.goals(),
                    draft.conversionWindow(), draft.reentry(), draft.holdoutPercent(), CampaignStatus.DRAFT,
                    clock.millis(), null, null);
            Campaign saved = save(campaign, true);
            LOG.info("Campaign {} created as a {} draft, {}{}{}", saved.id(), saved.type().wire(), goals(saved),
                    saved.conversionWindow() == null ? "" : ", window " + saved.conversionWindow(), extras(saved));
            return saved;
        });
    }

    public CompletableFuture<Campaign> update(String id, Changes changes) {
        return change(() -> {
            Campaign campaign = require(id);
            if (campaign.status() == CampaignStatus.ENDED) {
                throw Rejection.conflict("campaign '" + id + "' has ended; an ended campaign cannot change");
            }
            if (changes.holdoutPercent() != null && changes.holdoutPercent() != campaign.holdoutPercent()
                    && campaign.status() != CampaignStatus.DRAFT) {
                throw Rejection.conflict("campaign '" + id + "' is live: its holdoutPercent is fixed at launch, since "
                        + "changing it would move users between the holdout and treatment groups and spoil the "
                        + "comparison; create a new campaign for another holdout");
            }
            if (changes.goals() != null) {
                checkConversionEvents(campaign.type(), changes.goals());
                campaign = campaign.withGoals(changes.goals());
            }
            if (changes.reentry() != null) {
                campaign = campaign.withReentry(changes.reentry());
            }
            if (changes.holdoutPercent() != null) {
                campaign = campaign.withHoldoutPercent(changes.holdoutPercent());
            }
            if (changes.name() != null) {
                campaign = campaign.withName(changes.name());
            }
            if (changes.windowChanged()) {
                campaign = campaign.withConversionWindow(changes.conversionWindow());
            }
            Campaign saved = save(campaign, false);
            LOG.info("Campaign {} changed ({}): {}, window {}{}", id, saved.status().wire(), goals(saved),
                    saved.conversionWindow() == null ? "none" : saved.conversionWindow(), extras(saved));
            return saved;
        });
    }

    public CompletableFuture<Campaign> launch(String id) {
        return change(() -> {
            Campaign campaign = require(id);
            return switch (campaign.status()) {
                case LIVE -> campaign;
                case ENDED -> throw Rejection.conflict("campaign '" + id + "' has ended and cannot be launched again");
                case DRAFT -> {
                    List<String> missing = missing(campaign, rules);
                    if (!missing.isEmpty()) {
                        throw Rejection.unprocessable("campaign '" + id + "' names the conversion event"
                                + (missing.size() == 1 ? " '" + missing.get(0) + "', which" : "s '"
                                + String.join("', '", missing) + "', which") + " no loaded rule defines; valid ids are "
                                + String.join(", ", conversionEvents().ids()));
                    }
                    Campaign launched = save(campaign.launched(clock.millis()), false);
                    LOG.info("Campaign {} launched, converting on {}", id, String.join(" or ", launched.conversionEvents()));
                    yield launched;
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
            if (!engine.feedsCatalogue()) {
                campaigns.put(id, ended);
            }
            LOG.info("Campaign {} ended; {} active enrollments exited", id, enrollmentsEnded);
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

    /** "conversion event placed_order", or "conversion events placed_order, clicked_email (P2D)", for the log. */
    private static String goals(Campaign campaign) {
        if (campaign.goals().size() == 1 && campaign.goals().get(0).conversionWindow() == null) {
            return "conversion event " + campaign.conversionEvent();
        }
        return "conversion events " + String.join(", ", campaign.goals().stream()
                .map(goal -> goal.conversionEvent() + (goal.conversionWindow() == null ? ""
                        : " (" + goal.conversionWindow() + ")")).toList());
    }

    /** Re-entry and holdout, when they are not the defaults, for the log. */
    private static String extras(Campaign campaign) {
        return (campaign.reentry().kind() == Reentry.Kind.ALWAYS ? "" : ", reentry " + campaign.reentry())
                + (campaign.holdoutPercent() == 0 ? "" : ", holdout " + campaign.holdoutPercent() + "%");
    }

    /** The campaign's conversion events that the given rules do not define. */
    private static List<String> missing(Campaign campaign, LoadedRules rules) {
        return campaign.conversionEvents().stream().filter(event -> !rules.conversionEvents().contains(event)).toList();
    }

    /** Each must be in the catalogue; the shape of the list (1 to 4, no repeats, none alone) is checked on input. */
    private void checkConversionEvents(CampaignType type, List<ConversionGoal> goals) {
        ConversionEvents catalogue = conversionEvents();
        for (ConversionGoal goal : goals) {
            if (!catalogue.contains(goal.conversionEvent())) {
                throw Rejection.unprocessable("unknown conversion event '" + goal.conversionEvent()
                        + "'; valid ids are " + String.join(", ", catalogue.ids()));
            }
        }
        if (type == CampaignType.FLOW && (goals.size() > 1
                || !Campaign.NO_CONVERSION_EVENT.equals(goals.get(0).conversionEvent()))) {
            throw Rejection.unprocessable("a flow takes no conversion event (use \"none\"): flows branch on "
                    + "performed-event conditions, asked through GET /v1/users/{userId}/performed");
        }
    }

    /** Stores the campaign and puts it into every session: all of it, or nothing when the store cannot write. */
    private Campaign save(Campaign campaign, boolean isNew) {
        await(engine.changeCampaign(campaign, isNew));
        if (!engine.feedsCatalogue()) {
            campaigns.put(campaign.id(), campaign);
        }
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
