package com.conversionrules.tracking;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.EventNamesRead;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A tracking plan kept by the service itself: how many events arrived under each name and when the
 * last one did, and which names no loaded rule reads, with the name a rule reads that was probably
 * meant. Unknown names are accepted (a flow may ask about any event); they are only made visible.
 *
 * <p>Bounded: at most {@link #MAX_NAMES} names are counted, so a client sending millions of distinct
 * names holds a few hundred kilobytes at most; events under names past the limit are only counted in
 * all. Names the rules read are always counted. Lean on the hot path: a request whose names are all
 * known costs one map lookup and one counter increment per event, and allocates nothing.
 */
public final class EventNameTracker {
    /** Distinct names counted; a tracking plan has tens to hundreds. */
    public static final int MAX_NAMES = 1_000;
    /** Distinct unread names listed in one ingestion answer. */
    public static final int MAX_LISTED = 100;

    /** A name no loaded rule reads, as an ingestion answer lists it: how many events of the request had it. */
    public record Unrecognized(String name, int events, String didYouMean) {
    }

    /** One name in the report. */
    public record NameStats(String name, long events, Instant lastSeen, List<EventNamesRead.Reader> readBy,
                            String didYouMean) {
    }

    /** Everything counted since the service started. */
    public record Report(Instant since, List<NameStats> names, long untrackedEvents, int limit) {
    }

    private static final class Seen {
        final LongAdder events = new LongAdder();
        volatile long lastSeen;
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final LongAdder untracked = new LongAdder();
    private final Supplier<EventNamesRead> rules;
    private final Clock clock;
    private final Instant since;
    private final Metrics metrics;

    public EventNameTracker(Supplier<EventNamesRead> rules, Clock clock, Metrics metrics) {
        this.rules = rules;
        this.clock = clock;
        this.since = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        this.metrics = metrics;
        metrics.gauge("conversion_event_names_unrecognized",
                "Distinct event names seen since start that no loaded rule reads", this::unrecognizedNames);
    }

    /**
     * Counts the events of an answered request, and returns the names among them no loaded rule
     * reads (at most {@link #MAX_LISTED}, in order of first appearance), each with a suggestion.
     */
    public List<Unrecognized> record(List<UserEvent> events) {
        EventNamesRead read = rules.get();
        long now = clock.millis();
        Map<String, int[]> unread = null;
        int unreadEvents = 0;
        for (UserEvent event : events) {
            String name = event.getName();
            count(name, now, read);
            if (!read.reads(name)) {
                unreadEvents++;
                if (unread == null) {
                    unread = new LinkedHashMap<>();
                }
                int[] count = unread.get(name);
                if (count != null) {
                    count[0]++;
                } else if (unread.size() < MAX_LISTED) {
                    unread.put(name, new int[] {1});
                }
            }
        }
        if (unread == null) {
            return List.of();
        }
        metrics.eventsUnrecognized(unreadEvents);
        List<Unrecognized> listed = new ArrayList<>(unread.size());
        unread.forEach((name, count) -> listed.add(new Unrecognized(name, count[0], read.suggestion(name).orElse(null))));
        return listed;
    }

    private void count(String name, long now, EventNamesRead read) {
        Seen entry = seen.get(name);
        if (entry == null) {
            if (seen.size() >= MAX_NAMES && !read.byName().containsKey(name)) {
                untracked.increment();
                return;
            }
            entry = seen.computeIfAbsent(name, key -> new Seen());
        }
        entry.events.increment();
        if (entry.lastSeen != now) {
            entry.lastSeen = now;
        }
    }

    /**
     * Every name seen since start and every name the rules read (seen or not), most events first:
     * a name no rule reads shows with an empty {@code readBy} and, where one fits, what it was meant to be.
     */
    public Report report() {
        EventNamesRead read = rules.get();
        Map<String, NameStats> names = new LinkedHashMap<>();
        seen.forEach((name, entry) -> names.put(name, stats(name, entry.events.sum(),
                entry.lastSeen == 0 ? null : Instant.ofEpochMilli(entry.lastSeen), read)));
        read.byName().keySet().forEach(name -> names.computeIfAbsent(name, unseen -> stats(unseen, 0, null, read)));
        List<NameStats> sorted = new ArrayList<>(names.values());
        sorted.sort(Comparator.comparingLong(NameStats::events).reversed().thenComparing(NameStats::name));
        return new Report(since, sorted, untracked.sum(), MAX_NAMES);
    }

    private static NameStats stats(String name, long events, Instant lastSeen, EventNamesRead read) {
        Optional<String> suggestion = read.reads(name) ? Optional.empty() : read.suggestion(name);
        return new NameStats(name, events, lastSeen, read.readers(name), suggestion.orElse(null));
    }

    private int unrecognizedNames() {
        EventNamesRead read = rules.get();
        return (int) seen.keySet().stream().filter(name -> !read.reads(name)).count();
    }
}
