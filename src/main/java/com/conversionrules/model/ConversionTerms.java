package com.conversionrules.model;

/**
 * What a campaign converts on: its conversion event and window. Every enrollment of the campaign in
 * a session points at one shared instance, so policies can match enrollments by conversion event.
 *
 * @param conversionWindow null for no limit
 */
public record ConversionTerms(String conversionEvent, ConversionWindow conversionWindow) {

    public static ConversionTerms of(Campaign campaign) {
        return new ConversionTerms(campaign.conversionEvent(), campaign.conversionWindow());
    }
}
