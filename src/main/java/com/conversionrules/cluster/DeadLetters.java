package com.conversionrules.cluster;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.FailedEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of the events topic that could not be evaluated, as they go to the dead-letter topic: the
 * record as it came (or, for an event a rule failed on, the event as it was read), with headers
 * saying why, and where it came from. Each is counted by kind; the first of each kind is logged, the
 * others only counted, so a producer sending garbage cannot flood the log.
 */
final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** Why, as a word: one of the kinds below. */
    static final String KIND = "cr-dead-letter-kind";
    /** Why, in a sentence that says what to fix. */
    static final String REASON = "cr-dead-letter-reason";
    static final String SOURCE_TOPIC = "cr-source-topic";
    static final String SOURCE_PARTITION = "cr-source-partition";
    static final String SOURCE_OFFSET = "cr-source-offset";
    static final String RULE = "cr-rule";
    static final String RULE_FILE = "cr-rule-file";
    static final String RULES_VERSION = "cr-rules-version";

    /** Not JSON, or not an event, enrollment, removal or campaign as this service writes them. */
    static final String INVALID = "invalid";
    /** A user's record on another partition than the user's: it would miss the user's enrollments. */
    static final String WRONG_PARTITION = "wrong_partition";
    /** An enrollment into a campaign that had ended (or was not live) by the time its turn came. */
    static final String NOT_LIVE = "not_live";
    /** A rule failed, looped or sent garbage on this event: set aside, nothing of it applied. */
    static final String RULE_FAILED = "rule_failed";
    /** This service failed on the record (a bug): the partition's session was rebuilt from its stores. */
    static final String INTERNAL_ERROR = "internal_error";

    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final Metrics metrics;

    DeadLetters(Metrics metrics) {
        this.metrics = metrics;
    }

    /** The record as it came, with why. */
    Record<String, byte[]> of(Record<String, byte[]> record, RecordMetadata source, String kind, String reason) {
        count(kind, reason, source);
        return new Record<>(record.key(), record.value(), record.timestamp(), headers(record.headers(), source, kind, reason));
    }

    /** An event a rule failed on, as it was read, with the rule and why. */
    Record<String, byte[]> of(FailedEvent failed, RecordMetadata source) {
        count(RULE_FAILED, failed.reason(), source);
        Headers headers = headers(new RecordHeaders(), source, RULE_FAILED, failed.reason());
        add(headers, RULE, failed.rule());
        add(headers, RULE_FILE, failed.ruleFile());
        add(headers, RULES_VERSION, failed.rulesVersion());
        return new Record<>(failed.event().getUserId(), Wire.event(failed.event()), failed.failedAt(), headers);
    }

    private void count(String kind, String reason, RecordMetadata source) {
        metrics.deadLettered(kind);
        if (LOGGED.add(kind)) {
            LOG.warn("A record of {} partition {} offset {} went to the dead-letter topic ({}: {}); further ones of "
                    + "this kind are only counted (conversion_dead_letters_total)", source.topic(), source.partition(),
                    source.offset(), kind, reason);
        }
    }

    private static Headers headers(Headers original, RecordMetadata source, String kind, String reason) {
        Headers headers = new RecordHeaders(original.toArray());
        add(headers, KIND, kind);
        add(headers, REASON, reason);
        add(headers, SOURCE_TOPIC, source.topic());
        add(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        return headers;
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, Wire.bytes(value));
        }
    }
}
