package com.conversionrules.http;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.EventNamesRead;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.tracking.EventNameTracker;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the checks added to ingestion cost per event, on one thread: time and bytes allocated to turn
 * a 100-event request into facts, against Jackson's plain readTree measured in the same run. Each
 * step adds one thing: duplicate keys refused (two ways Jackson offers), strict UTF-8, the parser
 * that builds the facts, and counting the names.
 *
 * <pre>bench/ingestion-parse.sh [--quick]</pre>
 */
public final class IngestionParseBenchmark {
    private static final int EVENTS = 100;

    private record Step(String name, Consumer<byte[]> work) {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int rounds = quick ? 2_000 : 50_000;
        byte[] body = body();
        ObjectMapper plain = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ObjectMapper strictStream = new ObjectMapper(JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        ObjectMapper strictTree = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        EventNamesRead names = new RulesLoader(Path.of("rules")).load().eventNames();
        EventNameTracker tracker = new EventNameTracker(() -> names, Clock.systemUTC(), Metrics.inMemory());
        EventParser parser = new EventParser(Clock.systemUTC(), EVENTS);

        List<Step> steps = List.of(
                new Step("readTree (baseline)                  ", bytes -> read(plain, bytes)),
                new Step("+ STRICT_DUPLICATE_DETECTION (stream)", bytes -> read(strictStream, bytes)),
                new Step("+ FAIL_ON_READING_DUP_TREE_KEY (tree)", bytes -> read(strictTree, bytes)),
                new Step("service: duplicates (tree) + UTF-8    ", bytes -> Json.parse(bytes, "the body")),
                new Step("  + EventParser (the facts)          ", bytes -> parser.parse(Json.parse(bytes, "the body"))),
                new Step("  + event names counted              ", bytes -> {
                    List<UserEvent> events = parser.parse(Json.parse(bytes, "the body"));
                    tracker.record(events);
                }));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (Step step : steps) {
            run(step, body, rounds); // warm-up
        }
        double baseNanos = 0;
        double baseBytes = 0;
        System.out.printf("%d-event request (%d bytes), %d rounds each, per event:%n", EVENTS, body.length, rounds);
        for (Step step : steps) {
            long allocated = threads.getThreadAllocatedBytes(thread);
            long started = System.nanoTime();
            run(step, body, rounds);
            double nanos = (System.nanoTime() - started) / (double) rounds / EVENTS;
            double bytes = (threads.getThreadAllocatedBytes(thread) - allocated) / (double) rounds / EVENTS;
            if (baseNanos == 0) {
                baseNanos = nanos;
                baseBytes = bytes;
            }
            System.out.printf("  %s %7.0f ns %6.0f bytes  (%.2fx time, %.2fx bytes of the baseline)%n", step.name(),
                    nanos, bytes, nanos / baseNanos, bytes / baseBytes);
        }
    }

    private static void run(Step step, byte[] body, int rounds) {
        for (int i = 0; i < rounds; i++) {
            step.work().accept(body);
        }
    }

    private static JsonNode read(ObjectMapper mapper, byte[] bytes) {
        try {
            return mapper.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A batch as a shop's backend sends it: orders and page views with a few properties. */
    private static byte[] body() {
        StringBuilder json = new StringBuilder("{\"events\":[");
        for (int i = 0; i < EVENTS; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"id\":\"evt-").append(i).append("\",\"userId\":\"user-").append(i * 7919 % 100_000)
                    .append("\",\"name\":\"").append(i % 3 == 0 ? "Placed Order" : "Active on Site")
                    .append("\",\"time\":\"2026-11-27T10:15:30Z\",\"properties\":{\"value\":")
                    .append(10 + i % 90).append(".5,\"currency\":\"EUR\",\"sku\":\"SKU-").append(i)
                    .append("\",\"page\":\"/products/").append(i).append("\"}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
