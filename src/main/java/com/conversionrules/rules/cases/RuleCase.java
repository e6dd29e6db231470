package com.conversionrules.rules.cases;

import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import java.util.List;
import java.util.Map;

/**
 * One case from a {@code *.cases.yaml} file: what the world looks like, which events arrive, and
 * who must have left or stayed afterwards.
 *
 * @param file  the case file, relative to the rules folder
 * @param line  where the case starts in that file, for messages
 * @param fired the rules expected to fire, in any order; null when the case does not say
 */
public record RuleCase(String file, int line, String name, List<GivenCampaign> campaigns,
                       List<GivenEnrollment> enrollments, List<GivenEvent> events, List<Placement> exits,
                       List<Placement> active, List<String> fired) {

    /** @param goals the conversion events the campaign waits for, each with its own window or none */
    public record GivenCampaign(String id, List<ConversionGoal> goals, CampaignType type, CampaignStatus status,
                                ConversionWindow conversionWindow) {
        public List<String> conversionEvents() {
            return goals.stream().map(ConversionGoal::conversionEvent).toList();
        }
    }

    public record GivenEnrollment(String user, String campaign, long at) {
    }

    public record GivenEvent(String id, String user, String name, long time, String campaignId,
                             Map<String, Object> properties) {
    }

    /**
     * A user in a campaign; for an expected exit also the conversion event it must be credited to
     * (null for an expectation that the user is still active).
     */
    public record Placement(String user, String campaign, String conversionEvent) {
    }

    /** True when the case expects someone to leave on the given conversion event. */
    public boolean converts(String conversionEvent) {
        return exits.stream().anyMatch(exit -> conversionEvent.equals(exit.conversionEvent()));
    }
}
