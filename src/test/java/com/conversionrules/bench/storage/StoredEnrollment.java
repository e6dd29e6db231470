package com.conversionrules.bench.storage;

/** An active enrollment: what a restart must read back to rebuild the shards' sessions. */
record StoredEnrollment(String campaignId, String userId, long enrolledAt) {
}
