package com.conversionrules.store;

import java.util.List;

/**
 * A campaign's figures in total, for the users who got its messages (treatment) and those it held
 * out, and per conversion event.
 */
public record CampaignReport(CampaignStats totals, Group treatment, Group holdout, List<EventConversions> byConversionEvent) {

    /** Enrollments of one group of the campaign's users, and how many are active and converted. */
    public record Group(long enrolled, long active, long converted) {
        static final Group NONE = new Group(0, 0, 0);

        Group plus(String status, long count) {
            return new Group(enrolled + count, active + (EnrollmentState.ACTIVE.equals(status) ? count : 0),
                    converted + (EnrollmentState.CONVERTED.equals(status) ? count : 0));
        }
    }

    /** Conversions credited to one conversion event, and the revenue they brought. */
    public record EventConversions(String conversionEvent, long converted, double revenue) {
    }
}
