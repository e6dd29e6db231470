package com.conversionrules.model;

/**
 * The rule that made an exit: its name, the policy file it lives in and the version of the rules
 * folder that was loaded. The answer to "why did this user leave?".
 */
public record RuleRef(String name, String file, String rulesVersion) {
}
