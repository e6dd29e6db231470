package com.conversionrules.model;

import java.util.List;

/**
 * One conversion event a campaign waits for, with a window of its own when it sets one. A campaign
 * waits for one to {@link #MAX_PER_CAMPAIGN} of them; the user exits on the first that happens.
 *
 * @param conversionWindow the window for this event alone; null when the campaign's window applies
 */
public record ConversionGoal(String conversionEvent, ConversionWindow conversionWindow) {
    /** As many as Braze lets a campaign have. */
    public static final int MAX_PER_CAMPAIGN = 4;

    public static List<ConversionGoal> only(String conversionEvent) {
        return List.of(new ConversionGoal(conversionEvent, null));
    }

    /** What an enrollment is held to for this event: its own window, else the campaign's. */
    public ConversionTerms termsUnder(ConversionWindow campaignWindow) {
        return new ConversionTerms(conversionEvent, conversionWindow != null ? conversionWindow : campaignWindow);
    }
}
