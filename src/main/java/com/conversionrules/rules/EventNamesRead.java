package com.conversionrules.rules;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

/**
 * The event names the loaded rules wait for, and which rules wait for each: what tells a name a rule
 * can act on from one it never will (a typo, or a conversion event's id sent as a name), and what a
 * mistyped name was most likely meant to be. Built once per rules version; the lookups a suggestion
 * needs are prepared then, so an ingestion answer listing unread names stays cheap.
 */
public final class EventNamesRead {
    private static final int MAX_TYPO_DISTANCE = 3;

    /** A rule that reads a name: its name, its file, and the conversion event it implements (null for none). */
    public record Reader(String rule, String file, String conversionEvent) implements Serializable {
    }

    private final Map<String, List<Reader>> byName;
    private final List<Reader> anyName;
    /** Each name read, by its normalized form (the first in sort order when two normalize alike). */
    private final Map<String, String> byNormalized = new TreeMap<>();
    /** For each conversion event, by its normalized id, the first name (in sort order) its rules read. */
    private final Map<String, String> byConversionEvent = new TreeMap<>();

    EventNamesRead(Map<String, List<Reader>> byName, List<Reader> anyName) {
        this.byName = Map.copyOf(byName);
        this.anyName = List.copyOf(anyName);
        this.byName.keySet().stream().sorted().forEach(name -> {
            byNormalized.putIfAbsent(normalized(name), name);
            this.byName.get(name).stream().filter(reader -> reader.conversionEvent() != null)
                    .forEach(reader -> byConversionEvent.putIfAbsent(normalized(reader.conversionEvent()), name));
        });
    }

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
        return new EventNamesRead(frozen, anyName);
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

    /** Each name some rule compares {@code UserEvent.name} with, and those rules. */
    public Map<String, List<Reader>> byName() {
        return byName;
    }

    /** Rules that let events of any name through (no name constraint, or one not enumerable). */
    public List<Reader> anyName() {
        return anyName;
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
     * case or spacing ({@code Placed order}, {@code placed order}), the name a conversion event's
     * rules read when its id was sent ({@code placed_order}, {@code site_active}), or one a few
     * letters away ({@code Plcaed Order}).
     */
    public Optional<String> suggestion(String name) {
        if (byName.containsKey(name)) {
            return Optional.empty();
        }
        String wanted = normalized(name);
        String same = byNormalized.get(wanted);
        if (same == null) {
            same = byConversionEvent.get(wanted);
        }
        if (same != null) {
            return Optional.of(same);
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
