package com.conversionrules.engine;

import com.conversionrules.model.Exit;
import com.conversionrules.store.ChangeBatch;
import java.util.List;

/**
 * What one shard's part of a campaign change writes: the exits of the users it would take out (for
 * a campaign that ends), and the store epoch its session was at, so a part built on changes the store
 * then lost is refused.
 */
record CampaignPart(ChangeBatch writes, long builtAt) {
    List<Exit> exits() {
        return writes.exits();
    }
}
