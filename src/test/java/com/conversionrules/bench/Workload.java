package com.conversionrules.bench;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The engine benchmark's input: 50 live campaigns (ten per shipped conversion event), users
 * enrolled one campaign each, and events of which about 10% convert.
 */
final class Workload {
    static final int CAMPAIGNS = 50;
    static final String[] CONVERSION_EVENTS = {"placed_order", "site_active", "opened_email", "clicked_email", "clicked_sms"};
    /** An event name that converts each conversion event, in the same order. */
    static final String[] CONVERTING_NAMES = {"Placed Order", "Active on Site", "Opened Email", "Clicked Email", "Clicked SMS"};
    static final long ENROLLED_AT = 1_700_000_000_000L;

    final List<Campaign> campaigns = new ArrayList<>();
    final List<Enrollment> enrollments = new ArrayList<>();
    final int users;

    Workload(int users) {
        this.users = users;
        for (int c = 0; c < CAMPAIGNS; c++) {
            campaigns.add(new Campaign("c" + c, "Campaign " + c, CampaignType.MULTI_TOUCH,
                    CONVERSION_EVENTS[c % CONVERSION_EVENTS.length], null, CampaignStatus.LIVE, ENROLLED_AT, ENROLLED_AT, null));
        }
        // One id string and one terms object per campaign, shared by its enrollments as in the service.
        List<ConversionTerms> terms = campaigns.stream().map(ConversionTerms::of).toList();
        for (int u = 0; u < users; u++) {
            enrollments.add(new Enrollment(campaigns.get(u % CAMPAIGNS).id(), userId(u), ENROLLED_AT)
                    .under(terms.get(u % CAMPAIGNS)));
        }
    }

    /** One event of each name the workload uses, from a user enrolled nowhere: evaluates every rule, converts no one. */
    static List<UserEvent> linkingEvents() {
        List<UserEvent> events = new ArrayList<>();
        for (String name : CONVERTING_NAMES) {
            events.add(new UserEvent("link-" + events.size(), "nobody", name, ENROLLED_AT + 1, "c0", Map.of(), 0));
        }
        events.add(new UserEvent("link-view", "nobody", "Viewed Product", ENROLLED_AT + 1, "c0", Map.of(), 0));
        return events;
    }

    static String userId(int u) {
        return "u" + u;
    }

    static String campaignOf(int u) {
        return "c" + (u % CAMPAIGNS);
    }

    /**
     * {@code count} events: 10% are the conversion event of the user's own campaign (naming it, so
     * engagement policies match too), the rest product views no policy converts on.
     */
    List<UserEvent> events(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<UserEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int u = random.nextInt(users);
            boolean converts = random.nextInt(10) == 0;
            String name = converts ? CONVERTING_NAMES[u % CAMPAIGNS % CONVERSION_EVENTS.length] : "Viewed Product";
            events.add(new UserEvent("e" + seed + "-" + i, userId(u), name, ENROLLED_AT + 1 + i, campaignOf(u), Map.of(), 0));
        }
        return events;
    }
}
