package com.conversionrules.rules.cases;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Conversion;
import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.ConversionEvents;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.PolicyContract;
import com.conversionrules.rules.RuleFault;
import com.conversionrules.rules.cases.RuleCase.GivenCampaign;
import com.conversionrules.rules.cases.RuleCase.GivenEnrollment;
import com.conversionrules.rules.cases.RuleCase.GivenEvent;
import com.conversionrules.rules.cases.RuleCase.Placement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.kie.api.KieBase;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Runs a case against the real rules the way an engine shard does: a fresh session, the sender
 * channel registered, campaigns and enrollments inserted, then each event inserted, fired on its own
 * and taken out again. Then compares who left and who stayed with what the case expects.
 */
public final class CaseRunner {

    private final KieBase kieBase;
    private final ConversionEvents conversionEvents;

    public CaseRunner(LoadedRules rules) {
        this.kieBase = rules.kieBase();
        this.conversionEvents = rules.conversionEvents();
    }

    /** An exit as the case saw it happen. */
    private record Left(String user, String campaign, String conversionEvent, String rule, GivenEvent event) {
    }

    /**
     * What happened while the case's events arrived: who left, every rule that fired, and who is
     * still enrolled in the session afterwards (as "user in campaign").
     */
    private record Played(List<Left> left, List<String> fired, Set<String> enrolled) {
    }

    public CaseResult run(RuleCase ruleCase) {
        List<String> unknown = unknownConversionEvents(ruleCase);
        if (!unknown.isEmpty()) {
            // Such a campaign can never convert, so a case saying nobody leaves would pass for the wrong reason.
            return new CaseResult(ruleCase, unknown);
        }
        KieSession session = kieBase.newKieSession();
        try {
            return compare(ruleCase, play(ruleCase, session));
        } catch (ConsequenceException failed) {
            // The service would set such an event aside; a case that meets one fails, naming the rule.
            return new CaseResult(ruleCase, List.of("the rule \"" + failed.getRule().getName() + "\" failed: "
                    + new RuleFault(failed.getMatch(), failed.getCause()).reason()));
        } finally {
            session.dispose();
        }
    }

    private List<String> unknownConversionEvents(RuleCase ruleCase) {
        return ruleCase.campaigns().stream()
                .filter(campaign -> !conversionEvents.contains(campaign.conversionEvent()))
                .map(campaign -> "campaign " + campaign.id() + " waits for conversion event '"
                        + campaign.conversionEvent() + "', which no policy defines; use one of "
                        + String.join(", ", conversionEvents.ids()))
                .toList();
    }

    private static Played play(RuleCase ruleCase, KieSession session) {
        List<Conversion> sent = new ArrayList<>();
        List<Rule> firedBy = new ArrayList<>();
        Rule[] firing = new Rule[1];
        session.registerChannel(PolicyContract.SENDER_CHANNEL, conversion -> {
            sent.add((Conversion) conversion);
            firedBy.add(firing[0]);
        });
        List<String> fired = new ArrayList<>();
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firing[0] = event.getMatch().getRule();
                fired.add(firing[0].getName());
            }
        });

        Map<String, Campaign> campaigns = new HashMap<>();
        for (GivenCampaign given : ruleCase.campaigns()) {
            Campaign campaign = new Campaign(given.id(), given.id(), given.type(), given.conversionEvent(),
                    given.conversionWindow(), given.status(), 0L, null, null);
            campaigns.put(campaign.id(), campaign);
            session.insert(campaign);
        }
        for (GivenEnrollment enrollment : ruleCase.enrollments()) {
            Enrollment fact = new Enrollment(enrollment.campaign(), enrollment.user(), enrollment.at());
            Campaign campaign = campaigns.get(enrollment.campaign());
            session.insert(campaign == null ? fact : fact.under(ConversionTerms.of(campaign)));
        }
        List<Left> left = new ArrayList<>();
        for (GivenEvent given : ruleCase.events()) {
            FactHandle handle = session.insert(new UserEvent(given.id(), given.user(), given.name(), given.time(),
                    given.campaignId(), given.properties(), value(given.properties())));
            session.fireAllRules();
            session.delete(handle);
            for (int i = 0; i < sent.size(); i++) {
                Enrollment enrollment = sent.get(i).enrollment();
                Rule rule = firedBy.get(i);
                Object declared = rule == null ? null : rule.getMetaData().get(PolicyContract.CONVERSION_EVENT);
                Campaign campaign = campaigns.get(enrollment.getCampaignId());
                String conversionEvent = declared != null ? declared.toString()
                        : campaign == null ? null : campaign.conversionEvent();
                left.add(new Left(enrollment.getUserId(), enrollment.getCampaignId(), conversionEvent,
                        rule == null ? null : rule.getName(), given));
            }
            sent.clear();
            firedBy.clear();
        }
        Set<String> enrolled = new HashSet<>();
        session.getObjects(Enrollment.class::isInstance).forEach(fact -> {
            Enrollment enrollment = (Enrollment) fact;
            enrolled.add(key(enrollment.getUserId(), enrollment.getCampaignId()));
        });
        return new Played(left, fired, enrolled);
    }

    private static CaseResult compare(RuleCase ruleCase, Played played) {
        List<Left> left = played.left();
        List<String> failures = new ArrayList<>();
        for (Placement expected : ruleCase.exits()) {
            Left actual = find(left, expected);
            if (actual == null) {
                failures.add("expected " + expected.user() + " to leave " + expected.campaign() + " ("
                        + expected.conversionEvent() + ") but " + expected.user() + " is still active");
            } else if (!Objects.equals(actual.conversionEvent(), expected.conversionEvent())) {
                failures.add("expected " + expected.user() + " to leave " + expected.campaign() + " ("
                        + expected.conversionEvent() + ") but " + expected.user() + " left it on "
                        + actual.conversionEvent() + " instead, " + how(actual));
            }
        }
        for (Left actual : left) {
            boolean expected = ruleCase.exits().stream()
                    .anyMatch(exit -> exit.user().equals(actual.user()) && exit.campaign().equals(actual.campaign()));
            if (!expected) {
                boolean saidActive = ruleCase.active().stream()
                        .anyMatch(stay -> stay.user().equals(actual.user()) && stay.campaign().equals(actual.campaign()));
                failures.add((saidActive ? "expected " + actual.user() + " to still be in " + actual.campaign()
                        : "did not expect " + actual.user() + " to leave " + actual.campaign())
                        + " but " + actual.user() + " left it (" + actual.conversionEvent() + "), " + how(actual));
            }
        }
        Set<String> reported = new HashSet<>();
        for (Left actual : left) {
            String key = key(actual.user(), actual.campaign());
            if (played.enrolled().contains(key) && reported.add(key)) {
                failures.add(actual.user() + " left " + actual.campaign() + " but is still enrolled in the session: "
                        + "the rule \"" + actual.rule() + "\" must delete( $enrollment ) when it converts, or the "
                        + "user converts again on every later event");
            }
        }
        for (Placement stays : ruleCase.active()) {
            String key = key(stays.user(), stays.campaign());
            if (!played.enrolled().contains(key) && find(left, stays) == null) {
                failures.add("expected " + stays.user() + " to still be in " + stays.campaign() + " but a rule "
                        + "deleted the enrollment without sending a conversion");
            }
        }
        List<String> fired = played.fired();
        if (ruleCase.fired() != null && !sameRules(ruleCase.fired(), fired)) {
            failures.add("expected " + rules(ruleCase.fired()) + " to fire but " + rules(fired) + " fired");
        }
        return new CaseResult(ruleCase, failures);
    }

    private static String key(String user, String campaign) {
        return user + " in " + campaign;
    }

    private static Left find(List<Left> left, Placement expected) {
        return left.stream().filter(l -> l.user().equals(expected.user()) && l.campaign().equals(expected.campaign()))
                .findFirst().orElse(null);
    }

    private static String how(Left actual) {
        return "when event " + actual.event().id() + " (" + actual.event().name() + ") arrived"
                + (actual.rule() == null ? "" : ", through the rule \"" + actual.rule() + "\"");
    }

    private static boolean sameRules(List<String> expected, List<String> actual) {
        return expected.stream().sorted().toList().equals(actual.stream().sorted().toList());
    }

    private static String rules(List<String> names) {
        if (names.isEmpty()) {
            return "no rule";
        }
        return names.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", "));
    }

    /** The order value, read as the HTTP API reads it: value, total or revenue. */
    private static double value(Map<String, Object> properties) {
        for (String key : UserEvent.VALUE_PROPERTIES) {
            Object value = properties.get(key);
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            if (value instanceof String text) {
                try {
                    return Double.parseDouble(text.strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
