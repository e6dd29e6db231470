package com.conversionrules.model;

/**
 * An event a rule failed on, set aside with its reason (a dead letter): nothing of it was applied,
 * so it is not a duplicate either and can be sent again once the rules are fixed.
 *
 * @param rule     the rule that failed, or null when no single rule was to blame
 * @param ruleFile the rules-folder file that rule is in
 */
public record FailedEvent(long seq, UserEvent event, String rule, String ruleFile, String rulesVersion,
                          String reason, long failedAt) {
}
