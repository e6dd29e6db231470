package com.conversionrules.engine;

import com.conversionrules.holdout.Holdout;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.RuleRef;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.EnrollmentIndex;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kie.api.definition.rule.Rule;

/**
 * One shard's evaluation as synchronous steps, with no thread, queue or store of its own: events,
 * enrollments, removals and campaign changes go in, in order, and a {@link ChangeBatch} of what
 * they changed comes out. The embedded {@link Shard} thread runs it over the store; in a cluster a
 * Kafka Streams processor runs it over its partition's state stores. Both see the same session, the
 * same dedupe and the same fault isolation, so a case that passes on one passes on the other.
 *
 * <p>Not thread-safe: one owner calls it.
 */
public final class ShardCore implements AutoCloseable {
    private final ShardSession session;
    private final SeenEvents seen;
    private final Clock clock;
    private final ReentryGate reentry;

    /**
     * @param dedupeWindowMillis how long an event id stays known, so the same event sent again is a duplicate
     * @param pastEnrollments    the shard's users' past enrollments, for re-entry rules; closed with this
     */
    public ShardCore(LoadedRules rules, long dedupeWindowMillis, Clock clock, Metrics metrics,
                     EnrollmentIndex pastEnrollments) {
        this.session = new ShardSession(rules, metrics);
        this.seen = new SeenEvents(dedupeWindowMillis, clock.millis());
        this.clock = clock;
        this.reentry = new ReentryGate(pastEnrollments);
    }

    /** Starts a step: whatever it changes is written to one batch, made at the current time. */
    public Step step() {
        return new Step(new ChangeBatch(clock.millis()));
    }

    /** The rules the session runs. */
    public LoadedRules rules() {
        return session.rules();
    }

    /** The campaign as this shard knows it; null when it does not. */
    public Campaign campaign(String id) {
        return session.campaign(id);
    }

    /** Puts a campaign into the session as it is (a campaign read back, or one the shard was told of); writes nothing. */
    public void putCampaign(Campaign campaign) {
        session.putCampaign(campaign);
    }

    /** Puts enrollments read back from a store into the session; writes nothing. */
    public void load(List<Enrollment> enrollments) {
        enrollments.forEach(session::enroll);
        session.settle();
    }

    /** Moves the session to other rules, keeping every campaign and active enrollment. Between steps only. */
    public void swapRules(LoadedRules rules) {
        session.reset(rules, session.activeEnrollments());
    }

    /** Starts over on the same rules with the campaigns it knows and these enrollments. */
    public void reset(List<Enrollment> enrollments) {
        session.reset(session.rules(), enrollments);
    }

    /** How many facts the session holds: campaigns and active enrollments, never past events. */
    public long factCount() {
        return session.factCount();
    }

    /** Remembers an event id a store already holds, received at {@code receivedAt}. */
    public void seen(String userId, String eventId, long receivedAt) {
        seen.add(SeenEvents.fingerprint(userId, eventId), receivedAt, clock.millis());
    }

    /** Remembers an event id a store holds as its {@link #fingerprint}, received at {@code receivedAt}. */
    public void seen(long fingerprint, long receivedAt) {
        seen.add(fingerprint, receivedAt, clock.millis());
    }

    /** The 64-bit fingerprint dedupe knows a user's event id by. */
    public static long fingerprint(String userId, String eventId) {
        return SeenEvents.fingerprint(userId, eventId);
    }

    /** Forgets every event id; {@link #seen} then puts back those a store holds. */
    public void forgetSeen() {
        seen.clear(clock.millis());
    }

    /** Event ids known for dedupe. */
    public int seenCount() {
        return seen.size();
    }

    /**
     * The exits a campaign change makes, without changing the session: a campaign that ends takes
     * out every user still active in it. {@link #applyCampaign} then makes the change.
     */
    public ChangeBatch campaignExits(Campaign next) {
        ChangeBatch writes = new ChangeBatch(clock.millis());
        if (next.status() == CampaignStatus.ENDED) {
            for (String userId : session.activeUsers(next.id())) {
                writes.exit(leave(next.id(), userId, ExitReason.CAMPAIGN_ENDED, writes.receivedAt()));
            }
        }
        return writes;
    }

    /**
     * The write of an exit this core made ended (durable, or failed and the session started again
     * from the store): re-entry rules ask the store about that user again.
     */
    public void settled(Exit exit) {
        reentry.settled(exit);
    }

    /** Puts the changed campaign into the session; an ended one loses its enrollments. Returns how many ended. */
    public int applyCampaign(Campaign next) {
        session.putCampaign(next);
        return next.status() == CampaignStatus.ENDED ? session.removeAll(next.id()).size() : 0;
    }

    @Override
    public void close() {
        session.dispose();
        reentry.close();
    }

    /** What one request's events came to so far; read once its step is finished. */
    public static final class EventProgress {
        private int accepted;
        private int duplicates;
        private List<FailedEvent> failed = List.of();

        private void failed(FailedEvent event) {
            if (failed.isEmpty()) {
                failed = new ArrayList<>();
            }
            failed.add(event);
        }

        public EventsOutcome outcome() {
            return new EventsOutcome(accepted, duplicates, failed);
        }
    }

    /** An event of the step waiting in the session for its fire, and the request it came in. */
    private record Waiting(UserEvent event, long key, EventProgress request) {
    }

    /**
     * One step: any number of requests applied in order, their events evaluated together, one batch
     * of changes out. Anything that touches the session other than events calls {@link #evaluate()}
     * first, so the events before it are evaluated before it happens.
     */
    public final class Step {
        private final ChangeBatch writes;
        private final List<Waiting> waiting = new ArrayList<>();
        private final LongArrayList evaluatedKeys = new LongArrayList();

        private Step(ChangeBatch writes) {
            this.writes = writes;
        }

        /**
         * Inserts events not seen before; they are evaluated at the next {@link #evaluate()} (or
         * sooner, when a user already has an event waiting). The progress is final once the step is.
         */
        public EventProgress events(List<UserEvent> events) {
            EventProgress progress = new EventProgress();
            long now = clock.millis();
            for (UserEvent event : events) {
                long key = SeenEvents.fingerprint(event.getUserId(), event.getId());
                if (seen.contains(key)) {
                    progress.duplicates++;
                    continue;
                }
                if (!session.canTake(event)) {
                    // A user's events are evaluated one fire at a time, in arrival order, so the first
                    // one that converts is the one credited, whatever the batch size.
                    evaluate();
                }
                seen.add(key, now, now);
                evaluatedKeys.add(key);
                session.insert(event);
                waiting.add(new Waiting(event, key, progress));
            }
            return progress;
        }

        /**
         * Enrolls into a live campaign the users not active yet whom its re-entry rule lets in; each is
         * held out or not as the campaign's holdout says. Refused with nothing changed when this shard
         * does not know the campaign as live.
         */
        public EnrollOutcome enroll(String campaignId, List<Enrollment> enrollments) {
            evaluate();
            Campaign campaign = session.campaign(campaignId);
            if (campaign == null || !campaign.isLive()) {
                throw Rejection.conflict("campaign '" + campaignId + "' is not live; only live campaigns take enrollments");
            }
            int enrolled = 0;
            int alreadyActive = 0;
            int heldOut = 0;
            int refused = 0;
            List<EnrollOutcome.ReentryRefused> refusals = new ArrayList<>(0);
            long now = clock.millis();
            for (Enrollment enrollment : enrollments) {
                if (session.isEnrolled(campaign.id(), enrollment.getUserId())) {
                    alreadyActive++;
                    continue;
                }
                Optional<String> refusal = reentry.refusal(campaign, enrollment, now);
                if (refusal.isPresent()) {
                    refused++;
                    if (refusals.size() < EnrollOutcome.REFUSALS_SHOWN) {
                        refusals.add(new EnrollOutcome.ReentryRefused(enrollment.getUserId(), refusal.get()));
                    }
                    continue;
                }
                session.enroll(enrollment);
                boolean holdout = heldOut(campaign, enrollment.getUserId());
                writes.enrollment(enrollment, holdout);
                enrolled++;
                heldOut += holdout ? 1 : 0;
            }
            session.settle(); // a launch's audience is ready before its first events, not during them
            return new EnrollOutcome(enrolled, alreadyActive, refused, heldOut, refusals);
        }

        /** Takes a user out of a campaign (exit reason removed); empty when the user was not active there. */
        public Optional<Exit> remove(String campaignId, String userId) {
            evaluate();
            Enrollment removed = session.remove(campaignId, userId);
            if (removed == null) {
                return Optional.empty();
            }
            Exit exit = leave(campaignId, userId, ExitReason.REMOVED, clock.millis());
            writes.exit(exit);
            reentry.left(session.campaign(campaignId), removed, exit.exitedAt());
            return Optional.of(exit);
        }

        /**
         * Evaluates the events waiting in the session: each is kept (written) or set aside (a dead
         * letter, its key free again), and each conversion becomes an exit.
         */
        public void evaluate() {
            ShardSession.Evaluation evaluation = session.evaluate();
            if (waiting.isEmpty()) {
                return;
            }
            long now = clock.millis();
            String rulesVersion = session.rules().version();
            for (Waiting pending : waiting) {
                ShardSession.SetAside setAside = setAsideOf(pending.event(), evaluation.setAside());
                if (setAside == null) {
                    writes.event(pending.event());
                    pending.request().accepted++;
                    continue;
                }
                seen.remove(pending.key());
                Rule rule = setAside.rule();
                FailedEvent failed = new FailedEvent(0, pending.event(), rule == null ? null : rule.getName(),
                        rule == null ? null : RulesLoader.sourceOf(rule), rulesVersion, setAside.reason(), now);
                writes.failed(failed);
                pending.request().failed(failed);
            }
            waiting.clear();
            for (ShardSession.Fired conversion : evaluation.conversions()) {
                Enrollment enrollment = conversion.conversion().enrollment();
                UserEvent event = conversion.conversion().event();
                Rule rule = conversion.rule();
                Campaign campaign = session.campaign(enrollment.getCampaignId());
                writes.exit(new Exit(0, ExitIds.next(), enrollment.getCampaignId(),
                        enrollment.getUserId(), ExitReason.CONVERTED, conversion.conversionEvent(), event.getId(),
                        event.getValue(), new RuleRef(rule.getName(), RulesLoader.sourceOf(rule), rulesVersion), now,
                        heldOut(campaign, enrollment.getUserId())));
                reentry.left(campaign, enrollment, now);
            }
        }

        /** Evaluates what waits and gives the step's changes. */
        public ChangeBatch finish() {
            evaluate();
            return writes;
        }

        /**
         * The step failed and none of it will be kept: the event ids it marked as seen are forgotten,
         * so the same events sent again are evaluated. The session may hold some of its changes:
         * the owner starts the session over from what its store holds.
         */
        public void abandon() {
            evaluatedKeys.forEach(seen::remove);
            evaluatedKeys.clear();
            writes.exits().forEach(reentry::settled);
        }
    }

    private static ShardSession.SetAside setAsideOf(UserEvent event, List<ShardSession.SetAside> setAside) {
        for (ShardSession.SetAside candidate : setAside) {
            if (candidate.event() == event) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean heldOut(Campaign campaign, String userId) {
        return campaign != null && Holdout.holdsOut(campaign.id(), userId, campaign.holdoutPercent());
    }

    /** The exit of a user who left without converting. */
    private Exit leave(String campaignId, String userId, ExitReason reason, long at) {
        return new Exit(0, ExitIds.next(), campaignId, userId, reason, null, null, 0, null, at,
                heldOut(session.campaign(campaignId), userId));
    }
}
