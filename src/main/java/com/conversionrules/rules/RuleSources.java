package com.conversionrules.rules;

import org.kie.api.definition.rule.Rule;

/** Where a compiled rule came from, in the analyst's terms. */
public final class RuleSources {
    private RuleSources() {
    }

    /** The policy file a rule came from, relative to the rules folder; empty if unknown. */
    public static String fileOf(Rule rule) {
        return RulesLoader.sourceOf(rule);
    }
}
