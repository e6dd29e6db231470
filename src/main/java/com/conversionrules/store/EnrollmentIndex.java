package com.conversionrules.store;

import java.util.Optional;

/**
 * The enrollments a shard's users had before, for re-entry rules. Each lookup reads the store (on
 * SQLite one probe of the (campaign, user) index); it runs on the shard's own thread, so one index
 * per shard, closed with it.
 */
public interface EnrollmentIndex extends AutoCloseable {
    /**
     * A user's latest enrollment in a campaign: when it began, and when the user left (null while
     * the store has it active).
     */
    record Latest(long enrolledAt, Long leftAt) {
    }

    Optional<Latest> latest(String campaignId, String userId);

    @Override
    void close();
}
