package com.conversionrules.bench.storage;

/** An exit as the outbox keeps it (about 200 bytes), with the enrollment status change it implies. */
record StoredExit(String id, String campaignId, String userId, String reason, String conversionEvent, String eventId,
                  double value, String rule, String ruleFile, String rulesVersion, long exitedAt) {
}
