package com.conversionrules.bench.storage;

import java.util.List;

/** What one shard batch asks the writer to keep: the events that passed dedupe, and their exits. */
record ShardBatch(List<StoredEvent> events, List<StoredExit> exits) {
}
