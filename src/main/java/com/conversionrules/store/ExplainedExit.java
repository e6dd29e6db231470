package com.conversionrules.store;

/**
 * An exit with the event that caused it, as the store still has it: {@code eventName} and
 * {@code eventTime} are null for exits no event made (removal, campaign end).
 */
public record ExplainedExit(StoredExit stored, String eventName, Long eventTime) {
}
