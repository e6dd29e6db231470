package com.conversionrules.engine;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import java.util.List;

/**
 * A shard's session with nothing around it (no store, no queue, no metrics the service exports):
 * the same evaluation as the service's, for replaying the past against other terms or rules. One
 * thread at a time; dispose of it with {@link #close()}.
 */
public final class SandboxSession implements AutoCloseable {
    private final ShardSession session;

    /** A conversion the replayed event caused: whose, credited to which conversion event, by which rule. */
    public record Converted(Enrollment enrollment, String conversionEvent, String rule) {
    }

    /** What one event did: the conversions it caused, or why it was set aside (null when it was not). */
    public record Outcome(List<Converted> conversions, String setAside) {
    }

    public SandboxSession(LoadedRules rules, Campaign campaign) {
        this.session = new ShardSession(rules, Metrics.inMemory());
        session.putCampaign(campaign);
    }

    /** Enrolls the user under the campaign's terms; false when already active. */
    public boolean enroll(Enrollment enrollment) {
        return session.enroll(enrollment);
    }

    /** Takes the user out of the campaign, as a removal or the campaign's end does. */
    public void remove(String campaignId, String userId) {
        session.remove(campaignId, userId);
    }

    public boolean isEnrolled(String campaignId, String userId) {
        return session.isEnrolled(campaignId, userId);
    }

    /** Evaluates one event as a shard would: its conversions have left the session when this returns. */
    public Outcome evaluate(UserEvent event) {
        session.insert(event);
        ShardSession.Evaluation evaluation = session.evaluate();
        List<Converted> conversions = evaluation.conversions().stream()
                .map(fired -> new Converted(fired.conversion().enrollment(), fired.conversionEvent(),
                        fired.rule().getName()))
                .toList();
        String setAside = evaluation.setAside().isEmpty() ? null : evaluation.setAside().get(0).reason();
        return new Outcome(conversions, setAside);
    }

    @Override
    public void close() {
        session.dispose();
    }
}
