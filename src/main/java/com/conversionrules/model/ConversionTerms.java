package com.conversionrules.model;

/**
 * What an enrollment converts on: one conversion event of its campaign and the window that holds
 * for it. Every enrollment of the campaign in a session points at one shared instance per
 * conversion event, so policies can match enrollments by conversion event.
 *
 * @param conversionWindow null for no limit
 */
public record ConversionTerms(String conversionEvent, ConversionWindow conversionWindow) {

    /** The terms of a campaign's first conversion event: all of them for a campaign with one. */
    public static ConversionTerms of(Campaign campaign) {
        return campaign.terms().get(0);
    }
}
