package com.conversionrules.engine;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Conversion;
import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.PolicyContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * One shard's working memory: a KieSession holding the campaigns and the active enrollments of the
 * shard's users, with the handles to find them again. Events pass through: inserted, evaluated by
 * one fire, deleted. Used by the shard's thread only.
 */
final class ShardSession {
    /** A conversion a rule sent, with the rule that sent it. */
    record Fired(Conversion conversion, Rule rule) {
    }

    private final Metrics metrics;
    private LoadedRules rules;
    private KieSession session;
    private final Map<String, FactHandle> campaignHandles = new HashMap<>();
    private final Map<String, Campaign> campaigns = new HashMap<>();
    /** Each campaign's conversion terms, one instance shared by its enrollments. */
    private final Map<String, ConversionTerms> terms = new HashMap<>();
    /** Active enrollments by campaign, then user. */
    private final Map<String, EnrollmentTable> active = new HashMap<>();
    private final List<FactHandle> pendingEvents = new ArrayList<>();
    private final Set<String> pendingUsers = new HashSet<>();
    private final List<Fired> fired = new ArrayList<>();
    private Rule firing;

    ShardSession(LoadedRules rules, Metrics metrics) {
        this.rules = rules;
        this.metrics = metrics;
        this.session = newSession();
    }

    private KieSession newSession() {
        KieSession created = rules.kieBase().newKieSession();
        created.registerChannel(PolicyContract.SENDER_CHANNEL, conversion -> fired.add(new Fired((Conversion) conversion, firing)));
        created.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firing = event.getMatch().getRule();
                metrics.ruleFired(firing.getName());
            }
        });
        return created;
    }

    LoadedRules rules() {
        return rules;
    }

    Campaign campaign(String id) {
        return campaigns.get(id);
    }

    /**
     * Inserts or replaces the campaign. When its conversion event or window changed, its active
     * enrollments are replaced too, since each carries those terms (one pass over the campaign).
     */
    void putCampaign(Campaign campaign) {
        FactHandle handle = campaignHandles.get(campaign.id());
        if (handle == null) {
            campaignHandles.put(campaign.id(), session.insert(campaign));
        } else {
            session.update(handle, campaign);
        }
        campaigns.put(campaign.id(), campaign);
        ConversionTerms next = ConversionTerms.of(campaign);
        ConversionTerms before = terms.get(campaign.id());
        if (!next.equals(before)) {
            terms.put(campaign.id(), next);
            EnrollmentTable enrollments = active.get(campaign.id());
            if (enrollments != null) {
                List<Enrollment> moving = new ArrayList<>(enrollments.size());
                enrollments.forEach(moving::add);
                for (Enrollment enrollment : moving) {
                    Enrollment moved = enrollment.under(next);
                    session.update(session.getFactHandle(enrollment), moved);
                    enrollments.replace(moved);
                }
            }
        }
    }

    /**
     * Inserts the enrollment under its campaign's terms, unless the user is already active in that
     * campaign. An enrollment of a campaign the session does not know matches no policy.
     */
    boolean enroll(Enrollment enrollment) {
        EnrollmentTable enrollments = active.computeIfAbsent(enrollment.getCampaignId(), id -> new EnrollmentTable());
        ConversionTerms campaignTerms = terms.get(enrollment.getCampaignId());
        Enrollment fact = campaignTerms == null ? enrollment : enrollment.under(campaignTerms);
        if (!enrollments.add(fact)) {
            return false;
        }
        session.insert(fact);
        return true;
    }

    /** Takes the user's active enrollment out; false if there was none. */
    boolean remove(String campaignId, String userId) {
        EnrollmentTable enrollments = active.get(campaignId);
        Enrollment removed = enrollments == null ? null : enrollments.remove(userId);
        if (removed == null) {
            return false;
        }
        session.delete(session.getFactHandle(removed));
        return true;
    }

    /** Takes every active enrollment of the campaign out; returns their users. */
    List<String> removeAll(String campaignId) {
        EnrollmentTable enrollments = active.remove(campaignId);
        if (enrollments == null) {
            return List.of();
        }
        List<String> users = new ArrayList<>(enrollments.size());
        enrollments.forEach(enrollment -> {
            session.delete(session.getFactHandle(enrollment));
            users.add(enrollment.getUserId());
        });
        return users;
    }

    /**
     * Propagates what was inserted into the network now rather than at the next event's fire (Drools
     * queues inserts until then). Only when no event waits, so no rule can match.
     */
    void settle() {
        if (pendingEvents.isEmpty()) {
            session.fireAllRules();
        }
    }

    /** False when the user already has an event waiting: evaluate first, one event per user per fire. */
    boolean canTake(UserEvent event) {
        return !pendingUsers.contains(event.getUserId());
    }

    void insert(UserEvent event) {
        pendingUsers.add(event.getUserId());
        pendingEvents.add(session.insert(event));
    }

    /**
     * Fires the rules over the events inserted since the last call, then takes the events out;
     * returns the conversions the rules sent, whose enrollments the rules deleted.
     */
    List<Fired> evaluate() {
        if (pendingEvents.isEmpty()) {
            return List.of();
        }
        session.fireAllRules();
        List<Fired> conversions = List.copyOf(fired);
        for (Fired conversion : conversions) {
            Enrollment enrollment = conversion.conversion().enrollment();
            EnrollmentTable enrollments = active.get(enrollment.getCampaignId());
            if (enrollments != null) {
                enrollments.remove(enrollment.getUserId());
            }
        }
        fired.clear();
        pendingEvents.forEach(session::delete);
        pendingEvents.clear();
        pendingUsers.clear();
        return conversions;
    }

    /** Every active enrollment, to carry over into a new session. */
    List<Enrollment> activeEnrollments() {
        List<Enrollment> enrollments = new ArrayList<>();
        active.values().forEach(table -> table.forEach(enrollments::add));
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
        pendingUsers.clear();
        fired.clear();
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
