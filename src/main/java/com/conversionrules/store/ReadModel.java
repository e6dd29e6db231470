package com.conversionrules.store;

import com.conversionrules.model.FailedEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the API reads: every query the routes answer, off the engine's path. Each completes on a
 * reader thread, never on the caller's.
 */
public interface ReadModel {
    /** Exits in feed order after the cursor {@code after}, with their deliveries. */
    CompletableFuture<List<StoredExit>> exitsAfter(long after, int limit);

    /** The user's latest enrollment in the campaign, with its exit when it has one. */
    CompletableFuture<Optional<EnrollmentState>> enrollment(String campaignId, String userId);

    CompletableFuture<Optional<StoredExit>> exit(String id);

    CompletableFuture<CampaignStats> stats(String campaignId);

    /** The stats with the treatment and holdout groups apart, and per conversion event. */
    CompletableFuture<CampaignReport> report(String campaignId);

    CompletableFuture<Performed> performed(String userId, String eventName, long since);

    CompletableFuture<List<UserEnrollment>> enrollmentsOf(String userId, int limit);

    CompletableFuture<List<FailedEvent>> failedEventsAfter(long after, int limit);

    /** The sender endpoints, each with its deliveries waiting and given up. */
    CompletableFuture<List<EndpointReport>> endpoints();

    /** Conversions per period of {@code bucketMillis} from {@code from}, {@code buckets} of them. */
    CompletableFuture<long[]> conversionsOverTime(String campaignId, long from, long bucketMillis, int buckets);

    /** A campaign's latest exits, newest first, with the events that caused them. */
    CompletableFuture<List<ExplainedExit>> latestExits(String campaignId, int limit);
}
