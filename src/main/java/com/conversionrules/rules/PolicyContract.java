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

    private PolicyContract() {
    }
}
