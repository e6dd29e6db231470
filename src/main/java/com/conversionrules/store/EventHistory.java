package com.conversionrules.store;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.UserEvent;
import java.util.Iterator;
import java.util.List;

/**
 * What the store keeps of the past, read for replays: a campaign's enrollments with how each ended,
 * and each of their users' events, one user at a time so a replay holds one user's history at once.
 * One reader, on one thread; close it when done.
 */
public interface EventHistory extends AutoCloseable {

    /** One user's enrollments in the campaign and events, handed over while the reading goes on. */
    @FunctionalInterface
    interface UserHistory {
        /**
         * @param enrollments the user's enrollments in the range, in the order they were made
         * @param events      the user's events in the range, in time order; valid during this call only
         */
        void accept(String userId, List<PastEnrollment> enrollments, Iterator<UserEvent> events);
    }

    /** Epoch milliseconds since which every event the service took is kept. */
    long retainedSince();

    List<Campaign> campaigns();

    /**
     * Readies [{@code from}, {@code until}) for the replays of several campaigns: a store may read
     * the range's events once for all of them instead of once per campaign. Optional.
     */
    default void prepare(long from, long until) {
    }

    /**
     * Every user with an enrollment in the campaign made in [{@code from}, {@code until}), in user
     * order, with those enrollments and the user's events that happened in [{@code from}, {@code until}).
     * Stops early when {@code keepGoing} turns false.
     */
    void forEachUser(String campaignId, long from, long until, java.util.function.BooleanSupplier keepGoing,
                     UserHistory consumer);

    @Override
    void close();
}
