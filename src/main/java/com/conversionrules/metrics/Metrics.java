package com.conversionrules.metrics;

import com.conversionrules.model.Exit;
import com.conversionrules.model.FailedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The service's own meters, named in one place. Callers record per batch or per exit, never per
 * event, and meters with tags are looked up once and cached.
 */
public final class Metrics {
    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final Counter eventsReceived;
    private final Counter eventsAccepted;
    private final Counter eventsDuplicate;
    private final Counter requestsRejected;
    private final Counter eventsUnrecognized;
    private final Timer storeCommit;
    private final Counter webhookAttempts;
    private final Counter webhookFailures;
    private final Timer webhookLatency;
    private final Map<String, Counter> ruleFires = new ConcurrentHashMap<>();
    private final Map<String, Counter> exits = new ConcurrentHashMap<>();
    private final Map<String, Counter> eventsFailed = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

    private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
        eventsReceived = Counter.builder("conversion_events_received").description("Events in valid requests")
                .register(registry);
        eventsAccepted = Counter.builder("conversion_events_accepted").description("Events evaluated for the first time")
                .register(registry);
        eventsDuplicate = Counter.builder("conversion_events_duplicate").description("Events whose id was seen before")
                .register(registry);
        requestsRejected = Counter.builder("conversion_event_requests_rejected")
                .description("Ingestion requests refused as invalid, too large or while the engine was behind")
                .register(registry);
        eventsUnrecognized = Counter.builder("conversion_events_unrecognized")
                .description("Events under a name no loaded rule reads (a typo, or a name no policy uses yet)")
                .register(registry);
        storeCommit = Timer.builder("conversion_store_commit").description("Group commits of the store writer")
                .publishPercentileHistogram().register(registry);
        webhookAttempts = Counter.builder("conversion_webhook_attempts").description("Exit deliveries tried")
                .register(registry);
        webhookFailures = Counter.builder("conversion_webhook_failures")
                .description("Exit deliveries that failed (non-2xx or no answer)").register(registry);
        webhookLatency = Timer.builder("conversion_webhook_latency").description("Time for the sender's webhook to answer")
                .publishPercentileHistogram().register(registry);
    }

    /** Meters exposed in Prometheus format, with JVM and process meters. */
    public static Metrics prometheus() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new Metrics(registry, registry);
    }

    /** Meters kept in memory only: for parts run outside the service (tests, benchmarks). */
    public static Metrics inMemory() {
        return new Metrics(new SimpleMeterRegistry(), null);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition; empty when meters are kept in memory only. */
    public String scrape() {
        return prometheus == null ? "" : prometheus.scrape();
    }

    public void eventsReceived(int count) {
        eventsReceived.increment(count);
    }

    public void eventsEvaluated(int accepted, int duplicates) {
        eventsAccepted.increment(accepted);
        eventsDuplicate.increment(duplicates);
    }

    public void eventsUnrecognized(int count) {
        eventsUnrecognized.increment(count);
    }

    public void requestRejected() {
        requestsRejected.increment();
    }

    public void ruleFired(String rule) {
        ruleFires.computeIfAbsent(rule, name -> Counter.builder("conversion_rule_fires").tag("rule", name)
                .description("Matches fired, by rule").register(registry)).increment();
    }

    /** How often each rule fired so far, by rule name. */
    public Map<String, Long> ruleFires() {
        Map<String, Long> fires = new java.util.TreeMap<>();
        ruleFires.forEach((rule, counter) -> fires.put(rule, (long) counter.count()));
        return fires;
    }

    /** Exits that were committed, by campaign, conversion event and reason. */
    public void exitsCommitted(List<Exit> committed) {
        for (Exit exit : committed) {
            String conversionEvent = exit.conversionEvent() == null ? "" : exit.conversionEvent();
            String key = exit.campaignId() + '\u0000' + conversionEvent + '\u0000' + exit.reason().wire();
            exits.computeIfAbsent(key, ignored -> Counter.builder("conversion_exits")
                    .tag("campaign", exit.campaignId())
                    .tag("conversion_event", conversionEvent)
                    .tag("reason", exit.reason().wire())
                    .description("Users who left a campaign").register(registry)).increment();
        }
    }

    /** Events set aside because a rule failed on them, by rule (empty when no single rule was to blame). */
    public void eventsFailed(List<FailedEvent> failed) {
        for (FailedEvent event : failed) {
            String rule = event.rule() == null ? "" : event.rule();
            eventsFailed.computeIfAbsent(rule, name -> Counter.builder("conversion_events_failed").tag("rule", name)
                    .description("Events set aside because a rule failed on them (GET /v1/failed-events)")
                    .register(registry)).increment();
        }
    }

    /** Records of the cluster's events topic sent to the dead-letter topic, by kind of fault. */
    public void deadLettered(String kind) {
        deadLetters.computeIfAbsent(kind, name -> Counter.builder("conversion_dead_letters").tag("kind", name)
                .description("Records of the events topic sent to the dead-letter topic, by why")
                .register(registry)).increment();
    }

    public void storeCommitted(long nanos) {
        storeCommit.record(Duration.ofNanos(nanos));
    }

    public void webhookAttempt(boolean delivered, long nanos) {
        webhookAttempts.increment();
        if (!delivered) {
            webhookFailures.increment();
        }
        webhookLatency.record(Duration.ofNanos(nanos));
    }

    /** A gauge without tags, read when scraped. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** A gauge read when scraped, e.g. a shard's queue depth. */
    public void gauge(String name, String description, String tag, String tagValue, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag(tag, tagValue).register(registry);
    }
}
