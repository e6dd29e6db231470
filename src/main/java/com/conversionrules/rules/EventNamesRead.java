package com.conversionrules.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

/**
 * The event names the loaded rules wait for, and which rules wait for each: what tells a name a rule
 * can act on from one it never will (a typo, or a conversion event's id sent as a name), and what a
 * mistyped name was most likely meant to be.
 *
 * @param byName  each name some rule compares {@code UserEvent.name} with, and those rules
 * @param anyName rules that let events of any name through (no name constraint, or one not enumerable)
 */
public record EventNamesRead(Map<String, List<Reader>> byName, List<Reader> anyName) {
    private static final int MAX_TYPO_DISTANCE = 3;

    /** A rule that reads a name: its name, its file, and the conversion event it implements (null for none). */
    public record Reader(String rule, String file, String conversionEvent) {
    }

    public static final EventNamesRead NONE = new EventNamesRead(Map.of(), List.of());

    /** Reads every rule of the given DRL sources, by file; a source that does not parse adds nothing. */
    static EventNamesRead of(Map<String, String> drlByFile) {
        Map<String, List<Reader>> byName = new LinkedHashMap<>();
        List<Reader> anyName = new ArrayList<>();
        drlByFile.forEach((file, drl) -> {
            for (RuleDescr rule : rules(drl)) {
                AnnotationDescr event = rule.getAnnotation(PolicyContract.CONVERSION_EVENT);
                Reader reader = new Reader(rule.getName(), file,
                        event == null ? null : String.valueOf(event.getSingleValueStripped()));
                RuleConditions.EventNames names = RuleConditions.eventNames(rule);
                names.names().forEach(name -> byName.computeIfAbsent(name, key -> new ArrayList<>()).add(reader));
                if (names.anyName()) {
                    anyName.add(reader);
                }
            }
        });
        Map<String, List<Reader>> frozen = new LinkedHashMap<>();
        byName.forEach((name, readers) -> frozen.put(name, List.copyOf(readers)));
        return new EventNamesRead(Map.copyOf(frozen), List.copyOf(anyName));
    }

    private static List<RuleDescr> rules(String drl) {
        DrlParser parser = new DrlParser();
        try {
            PackageDescr parsed = parser.parse(false, drl);
            return parsed == null ? List.of() : parsed.getRules();
        } catch (DroolsParserException e) {
            return List.of();
        }
    }

    /** Whether some loaded rule can act on an event of this name. */
    public boolean reads(String name) {
        return !anyName.isEmpty() || byName.containsKey(name);
    }

    /** The rules that act on an event of this name. */
    public List<Reader> readers(String name) {
        List<Reader> named = byName.getOrDefault(name, List.of());
        if (anyName.isEmpty()) {
            return named;
        }
        List<Reader> all = new ArrayList<>(named);
        all.addAll(anyName);
        return all;
    }

    /**
     * The name a rule reads that an unread name was most likely meant to be: the same name in other
     * case or spacing ({@code Placed order}, {@code placed_order}), the name a conversion event's
     * rules read when its id or label was sent ({@code site_active}), or one a few letters away.
     */
    public Optional<String> suggestion(String name) {
        if (byName.isEmpty() || byName.containsKey(name)) {
            return Optional.empty();
        }
        String wanted = normalized(name);
        Map<String, String> byNormalized = new LinkedHashMap<>();
        byName.keySet().stream().sorted().forEach(known -> byNormalized.putIfAbsent(normalized(known), known));
        if (byNormalized.containsKey(wanted)) {
            return Optional.of(byNormalized.get(wanted));
        }
        Optional<String> forEvent = byName.entrySet().stream()
                .filter(entry -> entry.getValue().stream().anyMatch(reader -> reader.conversionEvent() != null
                        && normalized(reader.conversionEvent()).equals(wanted)))
                .map(Map.Entry::getKey).sorted().findFirst();
        if (forEvent.isPresent()) {
            return forEvent;
        }
        int max = Math.min(MAX_TYPO_DISTANCE, wanted.length() / 3);
        return byNormalized.entrySet().stream()
                .filter(entry -> EditDistance.atMost(entry.getKey(), wanted, max) <= max)
                .min(Comparator.comparingInt(entry -> EditDistance.atMost(entry.getKey(), wanted, max)))
                .map(Map.Entry::getValue);
    }

    /** Lower case, with underscores, hyphens and runs of spaces as one space. */
    private static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", " ").strip();
    }
}
