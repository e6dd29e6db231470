package com.conversionrules.rules.cases;

import com.conversionrules.engine.Engine;
import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.http.EventFacts;
import com.conversionrules.http.Json;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.ConversionEvents;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.cases.RuleCase.GivenCampaign;
import com.conversionrules.rules.cases.RuleCase.GivenEnrollment;
import com.conversionrules.rules.cases.RuleCase.GivenEvent;
import com.conversionrules.rules.cases.RuleCase.Placement;
import com.conversionrules.store.MemoryStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Runs a case through the engine exactly as the service runs it: a shard over an in-memory store,
 * the campaigns saved through a campaign change, enrollments and events sent as requests (an
 * enrollment into a campaign that is not live, or an event the API would refuse, is refused the
 * same way), each event alone, in order. Then compares who left and who stayed with what the case
 * expects. Only the store differs: nothing goes to disk.
 */
public final class CaseRunner {
    private static final int QUEUE = 100_000;

    private final LoadedRules rules;
    private final ConversionEvents conversionEvents;

    public CaseRunner(LoadedRules rules) {
        this.rules = rules;
        this.conversionEvents = rules.conversionEvents();
    }

    /** An exit as the case saw it happen. */
    private record Left(String user, String campaign, String conversionEvent, String rule, GivenEvent event) {
    }

    /**
     * What happened while the case's events arrived: who left, every rule that fired, who is still
     * enrolled (as "user in campaign"), and what the service would have refused or set aside.
     */
    private record Played(List<Left> left, List<String> fired, Set<String> enrolled, List<String> refused) {
    }

    public CaseResult run(RuleCase ruleCase) {
        List<String> unknown = unknownConversionEvents(ruleCase);
        if (!unknown.isEmpty()) {
            // Such a campaign can never convert, so a case saying nobody leaves would pass for the wrong reason.
            return new CaseResult(ruleCase, unknown);
        }
        Played played = play(ruleCase);
        if (!played.refused().isEmpty()) {
            return new CaseResult(ruleCase, played.refused());
        }
        return compare(ruleCase, played);
    }

    /**
     * Where each enrolled user of the case stands once its events are played, as
     * {@code "user in campaign" -> "active" | "converted:<conversion event>" | "exited"}: what the
     * service's enrollment status would answer. For comparing with the service itself.
     */
    public Map<String, String> outcome(RuleCase ruleCase) {
        Played played = play(ruleCase);
        Map<String, String> states = new TreeMap<>();
        played.enrolled().forEach(key -> states.put(key, "active"));
        for (Left left : played.left()) {
            states.put(key(left.user(), left.campaign()), left.conversionEvent() == null ? "exited"
                    : "converted:" + left.conversionEvent());
        }
        return states;
    }

    private List<String> unknownConversionEvents(RuleCase ruleCase) {
        List<String> unknown = new ArrayList<>();
        for (GivenCampaign campaign : ruleCase.campaigns()) {
            for (String conversionEvent : campaign.conversionEvents()) {
                if (!conversionEvents.contains(conversionEvent)) {
                    unknown.add("campaign " + campaign.id() + " waits for conversion event '" + conversionEvent
                            + "', which no policy defines; use one of " + String.join(", ", conversionEvents.ids()));
                }
            }
        }
        return unknown;
    }

    private Played play(RuleCase ruleCase) {
        MemoryStore store = new MemoryStore();
        Metrics metrics = Metrics.inMemory();
        List<String> refused = new ArrayList<>();
        try (Engine engine = new Engine(rules, store, 1, Engine.DEFAULT_MAX_BATCH, QUEUE, Clock.systemUTC(), () -> { },
                metrics)) {
            engine.start();
            // Facts per active enrollment: one per conversion event its campaign waits for.
            Map<String, Integer> factsPerEnrollment = new HashMap<>();
            for (GivenCampaign given : ruleCase.campaigns()) {
                Long launched = given.status() == CampaignStatus.DRAFT ? null : 0L;
                Long ended = given.status() == CampaignStatus.ENDED ? 0L : null;
                engine.changeCampaign(new Campaign(given.id(), given.id(), given.type(), given.goals(),
                        given.conversionWindow(), null, 0, given.status(), 0L, launched, ended), true).join();
                factsPerEnrollment.put(given.id(), given.goals().size());
            }
            for (GivenEnrollment given : ruleCase.enrollments()) {
                try {
                    engine.enroll(given.campaign(), List.of(new Enrollment(given.campaign(), given.user(), given.at())))
                            .join();
                } catch (CompletionException e) {
                    refused.add("the service would refuse to enroll " + given.user() + " in " + given.campaign() + ": "
                            + e.getCause().getMessage());
                }
            }
            Map<String, GivenEvent> events = new HashMap<>();
            for (GivenEvent given : ruleCase.events()) {
                UserEvent event;
                try {
                    event = EventFacts.of(given.id(), given.user(), given.name(), given.time(), given.campaignId(),
                            given.properties().isEmpty() ? null : Json.MAPPER.valueToTree(given.properties()), "");
                    EventFacts.time(given.time(), System.currentTimeMillis(), "time");
                } catch (Rejection rejection) {
                    refused.add("the service would refuse event " + given.id() + " (400): " + rejection.getMessage());
                    continue;
                }
                events.put(given.id(), given);
                EventsOutcome outcome = engine.evaluate(List.of(event)).join();
                for (FailedEvent failed : outcome.failed()) {
                    refused.add("the service would set event " + given.id() + " aside: " + failed.reason()
                            + (failed.rule() == null ? "" : " (rule \"" + failed.rule() + "\")"));
                }
            }
            long campaigns = ruleCase.campaigns().size();
            Set<String> enrolled = new HashSet<>();
            List<Enrollment> active = store.activeEnrollments().join();
            active.forEach(enrollment -> enrolled.add(key(enrollment.getUserId(), enrollment.getCampaignId())));
            long facts = campaigns + active.stream()
                    .mapToLong(enrollment -> factsPerEnrollment.getOrDefault(enrollment.getCampaignId(), 1)).sum();
            if (engine.factCount().join() < facts) {
                refused.add("a rule deleted an enrollment without sending a conversion: the user would stay enrolled "
                        + "in the store but never convert; delete( $enrollment ) only together with "
                        + "channels[\"sender\"].send( new Conversion( $enrollment, $event ) )");
            }
            List<Left> left = new ArrayList<>();
            for (Exit exit : store.exits()) {
                left.add(new Left(exit.userId(), exit.campaignId(), exit.conversionEvent(),
                        exit.rule() == null ? null : exit.rule().name(), events.get(exit.eventId())));
            }
            return new Played(left, fired(metrics), enrolled, refused);
        }
    }

    /** Every rule that fired, once per firing, from the engine's own counter. */
    private static List<String> fired(Metrics metrics) {
        List<String> fired = new ArrayList<>();
        metrics.ruleFires().forEach((rule, count) -> {
            for (long i = 0; i < count; i++) {
                fired.add(rule);
            }
        });
        return fired;
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
        for (Placement stays : ruleCase.active()) {
            String key = key(stays.user(), stays.campaign());
            if (!played.enrolled().contains(key) && find(left, stays) == null) {
                failures.add("expected " + stays.user() + " to still be in " + stays.campaign() + " but "
                        + stays.user() + " is not enrolled there");
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
}
