package com.conversionrules.store;

/** A campaign's figures, counted from its enrollments and conversion exits. */
public record CampaignStats(long enrolled, long active, long converted, double revenue) {
}
