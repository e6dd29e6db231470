package com.conversionrules.engine;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Work a shard runs on its own thread, in arrival order; each completes once its changes are durable. */
sealed interface Task {

    /** Completed once the task's changes are durable, or exceptionally if they never will be. */
    CompletableFuture<?> done();

    /** The items (events, enrollments) a request task brings, counted against the shard's room. */
    default int items() {
        return 0;
    }

    /** Evaluate events against the session's enrollments. */
    record Evaluate(List<UserEvent> events, CompletableFuture<EventsOutcome> done) implements Task {
        @Override
        public int items() {
            return events.size();
        }
    }

    /** Enroll users into a live campaign; users already active are left as they are. */
    record Enroll(String campaignId, List<Enrollment> enrollments, CompletableFuture<EnrollOutcome> done)
            implements Task {
        @Override
        public int items() {
            return enrollments.size();
        }
    }

    /** Take a user out of a campaign (exit reason {@code removed}); empty if the user was not active. */
    record Remove(String campaignId, String userId, CompletableFuture<Optional<Exit>> done) implements Task {
        @Override
        public int items() {
            return 1;
        }
    }

    /** Put a campaign read back from the store into the session at start; writes nothing. */
    record LoadCampaign(Campaign campaign, CompletableFuture<Void> done) implements Task {
    }

    /**
     * One shard's part in a campaign change that every shard applies or none does. The shard says
     * what the change would write ({@code prepared}: the exits of a campaign that ends), then waits
     * for the {@code decision} taken once every part is in the store or could not be: only a
     * committed change reaches its session. Completes {@code done} with the enrollments it ended.
     */
    record ChangeCampaign(Campaign next, CompletableFuture<CampaignPart> prepared, CompletableFuture<Boolean> decision,
                          CompletableFuture<Integer> done) implements Task {
    }

    /** Move the session to newly loaded rules, keeping every campaign and active enrollment. */
    record SwapRules(LoadedRules rules, CompletableFuture<Void> done) implements Task {
    }

    /** Count the facts in the session: campaigns and active enrollments, never past events. */
    record CountFacts(CompletableFuture<Long> done) implements Task {
    }

    /** Put enrollments read back from the store into the session at start; writes nothing. */
    record Load(List<Enrollment> enrollments, CompletableFuture<Void> done) implements Task {
    }
}
