package com.conversionrules.campaign;

import com.conversionrules.model.Campaign;
import com.conversionrules.rules.LoadedRules;
import java.util.concurrent.CompletableFuture;

/** Where campaign changes and rules go so that every shard applies them: this node's shards, or the cluster. */
public interface CampaignLog {
    /**
     * Makes the change on every shard or on none. Completes with the active enrollments it ended, or
     * null when that is only known later, where each partition applies it (cluster).
     */
    CompletableFuture<Integer> changeCampaign(Campaign next, boolean isNew);

    /** Puts a campaign read back at start into every session; writes nothing. */
    CompletableFuture<Void> loadCampaign(Campaign campaign);

    /** Moves every session this instance runs to newly loaded rules. */
    CompletableFuture<Void> swapRules(LoadedRules rules);

    /**
     * True when every change, this instance's own too, comes back through
     * {@link CampaignService#observed} in one order for the whole cluster (the campaigns topic's), and
     * before {@link #changeCampaign} completes: the service then takes campaigns only from there, so
     * an older change read late never overwrites a newer one.
     */
    default boolean feedsCatalogue() {
        return false;
    }
}
