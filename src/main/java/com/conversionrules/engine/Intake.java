package com.conversionrules.engine;

import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the API hands events, enrollments and removals: this node's shards, which answer once they
 * are evaluated and durable (embedded), or the cluster's log, which answers once the brokers hold
 * them in order, evaluated moments later by the partition's owner ({@link #queues()}).
 */
public interface Intake {
    CompletableFuture<EventsOutcome> evaluate(List<UserEvent> events);

    CompletableFuture<EnrollOutcome> enroll(String campaignId, List<Enrollment> enrollments);

    /** The exit of a user taken out; empty when the user had no active enrollment there (or when queued). */
    CompletableFuture<Optional<Exit>> remove(String campaignId, String userId);

    /** True when answers mean "durably queued, evaluated in order" (HTTP 202) rather than "evaluated" (200). */
    default boolean queues() {
        return false;
    }
}
