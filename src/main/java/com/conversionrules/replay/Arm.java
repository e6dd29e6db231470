package com.conversionrules.replay;

import com.conversionrules.model.Campaign;
import com.conversionrules.rules.LoadedRules;

/**
 * One way of running the past again: the rules, and the campaign under the terms tried (its
 * conversion events and windows).
 *
 * @param name what the report calls it ("proposed", "running")
 */
public record Arm(String name, LoadedRules rules, Campaign campaign) {
}
