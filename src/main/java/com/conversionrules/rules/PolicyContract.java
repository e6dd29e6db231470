package com.conversionrules.rules;

/**
 * What the engine and the policies in the rules folder agree on: the KIE channel a rule sends its
 * conversions to, and the rule metadata naming the conversion event a rule implements.
 */
public final class PolicyContract {
    /** {@code channels["sender"].send( new Conversion( $enrollment, $event ) )} in a rule's right side. */
    public static final String SENDER_CHANNEL = "sender";
    /** {@code @conversionEvent("placed_order")} on a rule. */
    public static final String CONVERSION_EVENT = "conversionEvent";
    /**
     * Where the engine hears of a right-hand side that threw ({@link RuleFault}); not for rules to
     * use. A session without it stops at the first such failure.
     */
    public static final String FAULTS_CHANNEL = "rule-faults";

    private PolicyContract() {
    }
}
