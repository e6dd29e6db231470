package com.conversionrules.bench;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shipped policies written by hand over HashMaps: the "no rules engine" limit the engine
 * benchmark compares against. Same semantics: which names count, engagement events only for their
 * own campaign, only live campaigns, only events at or after the enrollment.
 */
final class HandWrittenConversions {
    private static final Map<String, Set<String>> NAMES = Map.of(
            "placed_order", Set.of("Placed Order", "Order Completed"),
            "site_active", Set.of("Active on Site", "Page Viewed"),
            "opened_email", Set.of("Opened Email", "Email Opened"),
            "clicked_email", Set.of("Clicked Email", "Email Link Clicked"),
            "clicked_sms", Set.of("Clicked SMS"));
    private static final Set<String> ENGAGEMENT = Set.of("opened_email", "clicked_email", "clicked_sms");

    private final Map<String, Campaign> campaigns = new HashMap<>();
    private final Map<String, List<Enrollment>> byUser = new HashMap<>();
    int conversions;

    void campaign(Campaign campaign) {
        campaigns.put(campaign.id(), campaign);
    }

    void enroll(Enrollment enrollment) {
        byUser.computeIfAbsent(enrollment.getUserId(), user -> new ArrayList<>(1)).add(enrollment);
    }

    void evaluate(UserEvent event) {
        List<Enrollment> enrollments = byUser.get(event.getUserId());
        if (enrollments == null) {
            return;
        }
        enrollments.removeIf(enrollment -> {
            Campaign campaign = campaigns.get(enrollment.getCampaignId());
            Set<String> names = NAMES.get(campaign.conversionEvent());
            boolean converts = campaign.isLive() && names != null && names.contains(event.getName())
                    && enrollment.getEnrolledAt() <= event.getTime()
                    && (!ENGAGEMENT.contains(campaign.conversionEvent()) || campaign.id().equals(event.getCampaignId()));
            if (converts) {
                conversions++;
            }
            return converts;
        });
    }
}
