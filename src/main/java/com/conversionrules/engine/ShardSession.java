package com.conversionrules.engine;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Conversion;
import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.FirstConversion;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.PolicyContract;
import com.conversionrules.rules.RuleFault;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.runtime.rule.Match;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's working memory: a KieSession holding the campaigns and the active enrollments of the
 * shard's users, with the handles to find them again. Events pass through: inserted, evaluated by
 * one fire, deleted. Used by the shard's thread only.
 *
 * <p>A fault stays with the event that caused it: when a rule's right side throws, sends something
 * that is not a conversion of an active enrollment, or keeps firing for one event (a loop), that
 * event is set aside with its reason, everything it did in the session is undone, and the other
 * events of the fire are evaluated as if it had never come.
 */
final class ShardSession {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSession.class);
    /**
     * Firings one event may cause in one fire before it counts as a loop. A conversion is one
     * firing per campaign the user leaves, so only a user in more live campaigns than this, all
     * converting on one event, would be mistaken for a loop.
     */
    static final int FIRINGS_PER_EVENT = 10_000;
    /** Firings watched, once an event's budget is spent, to see which events keep the rules busy. */
    private static final int TRACED_FIRINGS = 1_000;
    /** Firings allowed when no event waits (propagating enrollments and campaigns); no policy should fire. */
    private static final int SETTLE_FIRINGS = 10_000;

    /** A conversion a rule sent, with the rule that sent it. */
    record Fired(Conversion conversion, Rule rule) {
        /** The conversion event the exit is credited to: the rule's, else the enrollment fact's. */
        String conversionEvent() {
            Object declared = rule.getMetaData().get(PolicyContract.CONVERSION_EVENT);
            return declared != null ? declared.toString() : conversion.enrollment().getConversionEvent();
        }
    }

    /** An event set aside: nothing it did was kept. */
    record SetAside(UserEvent event, Rule rule, String reason) {
    }

    /** What one evaluation came to: conversions to apply, and events set aside with why. */
    record Evaluation(List<Fired> conversions, List<SetAside> setAside) {
        static final Evaluation NOTHING = new Evaluation(List.of(), List.of());
    }

    private final Metrics metrics;
    private LoadedRules rules;
    private KieSession session;
    private final Map<String, FactHandle> campaignHandles = new HashMap<>();
    private final Map<String, Campaign> campaigns = new HashMap<>();
    /** Each campaign's conversion terms, one per conversion event, each instance shared by its enrollments. */
    private final Map<String, List<ConversionTerms>> terms = new HashMap<>();
    /** Active enrollments by campaign, then user. */
    private final Map<String, CampaignEnrollments> active = new HashMap<>();
    /** Enrollment facts in and out of the session, for {@link CampaignEnrollments#retarget}. */
    private final CampaignEnrollments.Facts facts = new CampaignEnrollments.Facts() {
        @Override
        public void insert(Enrollment fact) {
            session.insert(fact);
        }

        @Override
        public void replace(Enrollment old, Enrollment now) {
            session.update(session.getFactHandle(old), now);
        }

        @Override
        public void delete(Enrollment fact) {
            FactHandle handle = session.getFactHandle(fact);
            if (handle != null) {
                session.delete(handle);
            }
        }
    };
    private final List<UserEvent> pendingEvents = new ArrayList<>();
    private final List<FactHandle> pendingHandles = new ArrayList<>();
    private final Set<String> pendingUsers = new HashSet<>();
    private final List<Fired> fired = new ArrayList<>();
    private final List<RuleFault> faults = new ArrayList<>();
    private Match firing;
    /** Firings per event while {@link #traceLoops} watches; null otherwise, so a normal fire counts nothing. */
    private Map<UserEvent, Trace> traced;

    ShardSession(LoadedRules rules, Metrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
        this.session = newSession();
    }

    private KieSession newSession() {
        KieSession created = rules.kieBase().newKieSession();
        created.registerChannel(PolicyContract.SENDER_CHANNEL, this::sent);
        created.registerChannel(PolicyContract.FAULTS_CHANNEL, fault -> faults.add((RuleFault) fault));
        created.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firing = event.getMatch();
                metrics.ruleFired(firing.getRule().getName());
                if (traced != null) {
                    for (Object fact : firing.getObjects()) {
                        if (fact instanceof UserEvent userEvent) {
                            traced.computeIfAbsent(userEvent, key -> new Trace()).fired(firing.getRule());
                        }
                    }
                }
            }
        });
        return created;
    }

    /**
     * A rule sent something to the sender: only a conversion of an enrollment active in this
     * session counts; anything else is the firing rule's fault.
     */
    private void sent(Object sent) {
        if (sent instanceof Conversion conversion && conversion.event() != null && conversion.enrollment() != null
                && isActive(conversion.enrollment())) {
            fired.add(new Fired(conversion, firing.getRule()));
            return;
        }
        faults.add(new RuleFault(firing, new IllegalStateException(
                "the rule sent " + (sent instanceof Conversion ? "a conversion of an enrollment that is not active"
                        : "something that is not a Conversion") + " to the sender channel")));
    }

    private boolean isActive(Enrollment enrollment) {
        CampaignEnrollments enrollments = active.get(enrollment.getCampaignId());
        return enrollments != null && enrollments.isActive(enrollment);
    }

    /** Where the fact's conversion event stands in its campaign's list: the first listed wins a tie. */
    private int rank(Enrollment enrollment) {
        CampaignEnrollments enrollments = active.get(enrollment.getCampaignId());
        return enrollments == null ? Integer.MAX_VALUE : enrollments.rank(enrollment);
    }

    LoadedRules rules() {
        return rules;
    }

    Campaign campaign(String id) {
        return campaigns.get(id);
    }

    /**
     * Inserts or replaces the campaign. When its conversion events or windows changed, its active
     * enrollments follow, since each fact carries those terms (one pass over the campaign).
     */
    void putCampaign(Campaign campaign) {
        FactHandle handle = campaignHandles.get(campaign.id());
        if (handle == null) {
            campaignHandles.put(campaign.id(), session.insert(campaign));
        } else {
            session.update(handle, campaign);
        }
        campaigns.put(campaign.id(), campaign);
        List<ConversionTerms> next = campaign.terms();
        if (!next.equals(terms.get(campaign.id()))) {
            terms.put(campaign.id(), next);
            CampaignEnrollments enrollments = active.get(campaign.id());
            if (enrollments != null) {
                enrollments.retarget(next, facts);
            }
        }
    }

    /**
     * Inserts the enrollment under its campaign's terms, unless the user is already active in that
     * campaign. An enrollment of a campaign the session does not know matches no policy.
     */
    boolean enroll(Enrollment enrollment) {
        CampaignEnrollments enrollments = active.computeIfAbsent(enrollment.getCampaignId(),
                id -> new CampaignEnrollments(terms.get(id)));
        List<Enrollment> added = enrollments.add(enrollment);
        for (int i = 0; i < added.size(); i++) { // no iterator: a restart enrolls a million
            session.insert(added.get(i));
        }
        return !added.isEmpty();
    }

    /** True when the user has an active enrollment in the campaign. */
    boolean isEnrolled(String campaignId, String userId) {
        CampaignEnrollments enrollments = active.get(campaignId);
        return enrollments != null && enrollments.primary(userId) != null;
    }

    /** Takes the user's active enrollment out and returns it; null if there was none. */
    Enrollment remove(String campaignId, String userId) {
        CampaignEnrollments enrollments = active.get(campaignId);
        List<Enrollment> removed = enrollments == null ? List.of() : enrollments.remove(userId);
        removed.forEach(facts::delete);
        return removed.isEmpty() ? null : removed.get(0);
    }

    /** Takes every active enrollment of the campaign out; returns their users. */
    List<String> removeAll(String campaignId) {
        CampaignEnrollments enrollments = active.remove(campaignId);
        if (enrollments == null) {
            return List.of();
        }
        List<String> users = new ArrayList<>(enrollments.size());
        enrollments.forEachEnrollment(enrollment -> users.add(enrollment.getUserId()));
        enrollments.forEachFact(facts::delete);
        return users;
    }

    /** The users with an active enrollment in the campaign. */
    List<String> activeUsers(String campaignId) {
        CampaignEnrollments enrollments = active.get(campaignId);
        if (enrollments == null) {
            return List.of();
        }
        List<String> users = new ArrayList<>(enrollments.size());
        enrollments.forEachEnrollment(enrollment -> users.add(enrollment.getUserId()));
        return users;
    }

    /**
     * Propagates what was inserted into the network now rather than at the next event's fire (Drools
     * queues inserts until then). Only when no event waits, so no rule can match.
     */
    void settle() {
        if (!pendingEvents.isEmpty()) {
            return;
        }
        if (session.fireAllRules(SETTLE_FIRINGS) >= SETTLE_FIRINGS) {
            LOG.error("Rules fired {} times with no event in the session (rules version {}); a rule reacts to "
                    + "campaigns or enrollments alone and loops. Fix the rules folder", SETTLE_FIRINGS, rules.version());
        }
        fired.clear();
        faults.clear();
    }

    /** False when the user already has an event waiting: evaluate first, one event per user per fire. */
    boolean canTake(UserEvent event) {
        return !pendingUsers.contains(event.getUserId());
    }

    void insert(UserEvent event) {
        pendingUsers.add(event.getUserId());
        pendingEvents.add(event);
        pendingHandles.add(session.insert(event));
    }

    /**
     * Fires the rules over the events inserted since the last call, then takes the events out.
     * Returns the conversions the rules sent (their enrollments have left the session) and the
     * events set aside, whose every effect was undone.
     */
    Evaluation evaluate() {
        if (pendingEvents.isEmpty()) {
            return Evaluation.NOTHING;
        }
        List<SetAside> setAside = new ArrayList<>(0);
        while (true) {
            int budget = pendingEvents.size() * FIRINGS_PER_EVENT;
            boolean exhausted = session.fireAllRules(budget) >= budget;
            int before = setAside.size();
            for (RuleFault fault : faults) {
                UserEvent offender = eventOf(fault.match());
                if (offender != null && pendingEvents.contains(offender)) {
                    setAside.add(setAside(offender, fault.match().getRule(), "the rule failed: " + fault.reason()));
                } else if (offender == null) {
                    LOG.error("The rule \"{}\" failed on facts without an event ({}); nothing was set aside",
                            fault.match().getRule().getName(), fault.reason());
                }
            }
            faults.clear();
            if (exhausted) {
                setAside.addAll(traceLoops());
            }
            if (setAside.size() == before && !exhausted) {
                break;
            }
            if (pendingEvents.isEmpty()) {
                break;
            }
        }
        List<Fired> conversions = List.copyOf(FirstConversion.perEnrollment(fired,
                conversion -> conversion.conversion().enrollment(), this::rank));
        for (Fired conversion : conversions) {
            Enrollment enrollment = conversion.conversion().enrollment();
            // The exit is the enrollment's end whatever the rule did (a rule that forgot to delete it
            // would convert the user again at every later event), and ends its other conversion events.
            active.get(enrollment.getCampaignId()).remove(enrollment.getUserId()).forEach(facts::delete);
        }
        fired.clear();
        pendingHandles.forEach(session::delete);
        pendingHandles.clear();
        pendingEvents.clear();
        pendingUsers.clear();
        return new Evaluation(conversions, setAside);
    }

    /**
     * The budget ran out: watch the next firings to see which events keep the rules busy, and set
     * those aside. If the agenda empties while watching, it was only a busy fire and nothing is
     * set aside.
     */
    private List<SetAside> traceLoops() {
        Map<UserEvent, Trace> trace = new IdentityHashMap<>();
        traced = trace;
        int firedWhileTraced;
        try {
            firedWhileTraced = session.fireAllRules(TRACED_FIRINGS);
        } finally {
            traced = null;
        }
        if (firedWhileTraced < TRACED_FIRINGS) {
            return List.of();
        }
        int most = trace.values().stream().mapToInt(Trace::firings).max().orElse(0);
        List<SetAside> loops = new ArrayList<>();
        trace.forEach((event, seen) -> {
            if (seen.firings() * 2 >= most && pendingEvents.contains(event)) {
                loops.add(setAside(event, seen.rule(), "the rules fired more than " + FIRINGS_PER_EVENT
                        + " times for this one event: a rule loops (a modify or update that matches its own "
                        + "conditions again)"));
            }
        });
        if (loops.isEmpty()) {
            // The loop involves no event: setting one aside would not stop it, so every waiting event goes.
            Rule looping = firing == null ? null : firing.getRule();
            for (UserEvent event : List.copyOf(pendingEvents)) {
                loops.add(setAside(event, looping, "the rules loop without this event taking part, so it could "
                        + "not be evaluated"));
            }
        }
        return loops;
    }

    /** How often the rules fired for one event while traced, and the last rule that did. */
    private static final class Trace {
        private int firings;
        private Rule rule;

        void fired(Rule by) {
            firings++;
            rule = by;
        }

        int firings() {
            return firings;
        }

        Rule rule() {
            return rule;
        }
    }

    private static UserEvent eventOf(Match match) {
        for (Object fact : match.getObjects()) {
            if (fact instanceof UserEvent event) {
                return event;
            }
        }
        return null;
    }

    /**
     * Undoes what the event did in this fire: it leaves the session, the conversions it caused are
     * dropped, and the enrollments those conversions or the failing rule deleted come back.
     */
    private SetAside setAside(UserEvent event, Rule rule, String reason) {
        int at = indexOf(event);
        FactHandle handle = pendingHandles.remove(at);
        pendingEvents.remove(at);
        if (session.getObject(handle) != null) {
            session.delete(handle);
        }
        List<Enrollment> touched = new ArrayList<>();
        fired.removeIf(conversion -> {
            if (conversion.conversion().event() == event) {
                touched.add(conversion.conversion().enrollment());
                return true;
            }
            return false;
        });
        for (CampaignEnrollments enrollments : active.values()) {
            touched.addAll(enrollments.facts(event.getUserId()));
        }
        for (Enrollment enrollment : touched) {
            if (isActive(enrollment) && session.getFactHandle(enrollment) == null) {
                session.insert(enrollment);
            }
        }
        return new SetAside(event, rule, reason);
    }

    private int indexOf(UserEvent event) {
        for (int i = 0; i < pendingEvents.size(); i++) {
            if (pendingEvents.get(i) == event) {
                return i;
            }
        }
        throw new IllegalStateException(event + " is not waiting in this session");
    }

    /** Every active enrollment, to carry over into a new session. */
    List<Enrollment> activeEnrollments() {
        List<Enrollment> enrollments = new ArrayList<>();
        active.values().forEach(campaign -> campaign.forEachEnrollment(enrollments::add));
        return enrollments;
    }

    /** Starts over on the given rules with the campaigns and the given enrollments; drops pending events. */
    void reset(LoadedRules nextRules, List<Enrollment> enrollments) {
        session.dispose();
        rules = nextRules;
        session = newSession();
        campaignHandles.clear();
        active.clear();
        pendingEvents.clear();
        pendingHandles.clear();
        pendingUsers.clear();
        fired.clear();
        faults.clear();
        campaigns.values().forEach(campaign -> campaignHandles.put(campaign.id(), session.insert(campaign)));
        enrollments.forEach(this::enroll);
    }

    long factCount() {
        return session.getFactCount();
    }

    void dispose() {
        session.dispose();
    }
}
