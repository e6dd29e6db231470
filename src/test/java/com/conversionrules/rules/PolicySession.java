package com.conversionrules.rules;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.Conversion;
import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;

/** A KIE session over the real rules folder that records conversions and the rules that fired. */
final class PolicySession implements AutoCloseable {
    static final Path RULES = Path.of("rules");
    static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();

    static final double EVENT_VALUE = 150;

    final List<Conversion> conversions = new ArrayList<>();
    final List<String> fired = new ArrayList<>();
    private final Map<String, ConversionTerms> terms = new HashMap<>();
    private final KieSession session;

    PolicySession(LoadedRules rules) {
        session = rules.kieBase().newKieSession();
        session.registerChannel("sender", object -> conversions.add((Conversion) object));
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                fired.add(event.getMatch().getRule().getName());
            }
        });
    }

    PolicySession liveCampaign(String id, CampaignType type, String conversionEvent) {
        return campaign(new Campaign(id, id, type, conversionEvent, null, CampaignStatus.LIVE, T0, T0, null));
    }

    PolicySession liveCampaign(String id, String conversionEvent, Duration conversionWindow) {
        return campaign(new Campaign(id, id, CampaignType.MULTI_TOUCH, conversionEvent,
                new ConversionWindow(conversionWindow), CampaignStatus.LIVE, T0, T0, null));
    }

    PolicySession liveCampaign(String id, String conversionEvent) {
        return liveCampaign(id, CampaignType.MULTI_TOUCH, conversionEvent);
    }

    PolicySession draftCampaign(String id, String conversionEvent) {
        return campaign(new Campaign(id, id, CampaignType.MULTI_TOUCH, conversionEvent, null, CampaignStatus.DRAFT, T0,
                null, null));
    }

    private PolicySession campaign(Campaign campaign) {
        terms.put(campaign.id(), ConversionTerms.of(campaign));
        session.insert(campaign);
        return this;
    }

    /** Enrolls the user under the campaign's terms, as a shard does. */
    PolicySession enroll(String campaignId, String userId, long at) {
        session.insert(new Enrollment(campaignId, userId, at).under(terms.get(campaignId)));
        return this;
    }

    /** An event worth {@link #EVENT_VALUE}, enough for every shipped policy that looks at the value. */
    PolicySession event(String id, String userId, String name, long at, String campaignId) {
        session.insert(new UserEvent(id, userId, name, at, campaignId, Map.of("value", EVENT_VALUE), EVENT_VALUE));
        return this;
    }

    int fire() {
        return session.fireAllRules();
    }

    long enrollmentsLeft() {
        return session.getObjects(object -> object instanceof Enrollment).size();
    }

    @Override
    public void close() {
        session.dispose();
    }
}
