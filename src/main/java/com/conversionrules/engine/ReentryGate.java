package com.conversionrules.engine;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.Reentry;
import com.conversionrules.store.EnrollmentIndex;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A campaign's re-entry rule, applied as a shard enrolls a user who is not active: the user's last
 * enrollment in the campaign is looked up among the exits this shard made that are not durable yet,
 * then in the store (one index probe). Campaigns that let users enter again at any time (the
 * default) cost nothing.
 */
final class ReentryGate implements AutoCloseable {
    private final EnrollmentIndex past;
    /** Exits from campaigns with a re-entry rule, from their batch until it is durable; by campaign and user. */
    private final Map<String, Reentry.Previous> leftPending = new ConcurrentHashMap<>();

    /** @param past the shard's own index of past enrollments; closed with this */
    ReentryGate(EnrollmentIndex past) {
        this.past = past;
    }

    /** Why the campaign's re-entry rule keeps the user out; empty when they may enter. */
    Optional<String> refusal(Campaign campaign, Enrollment enrollment, long now) {
        Reentry reentry = campaign.reentry();
        if (reentry.kind() == Reentry.Kind.ALWAYS) {
            return Optional.empty();
        }
        Reentry.Previous previous = leftPending.get(key(campaign.id(), enrollment.getUserId()));
        if (previous == null) {
            Optional<EnrollmentIndex.Latest> stored = past.latest(campaign.id(), enrollment.getUserId());
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            // Active in the store but not in the session: the user left in a write still in flight.
            Long leftAt = stored.get().leftAt();
            previous = new Reentry.Previous(stored.get().enrolledAt(), leftAt == null ? now : leftAt);
        }
        return reentry.refusal(previous, enrollment.getEnrolledAt());
    }

    /** The user left the campaign in a batch whose write is not durable yet. */
    void left(Campaign campaign, Enrollment enrollment, long leftAt) {
        if (campaign != null && campaign.reentry().kind() != Reentry.Kind.ALWAYS) {
            leftPending.put(key(campaign.id(), enrollment.getUserId()),
                    new Reentry.Previous(enrollment.getEnrolledAt(), leftAt));
        }
    }

    /** The exit's write ended (durable, or failed and the session rebuilt from the store): the store knows best. */
    void settled(Exit exit) {
        if (!leftPending.isEmpty()) {
            leftPending.computeIfPresent(key(exit.campaignId(), exit.userId()),
                    (key, previous) -> previous.leftAt() == exit.exitedAt() ? null : previous);
        }
    }

    @Override
    public void close() {
        past.close();
    }

    private static String key(String campaignId, String userId) {
        return campaignId + '\u0000' + userId;
    }
}
