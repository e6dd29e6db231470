package com.conversionrules.cluster;

import com.conversionrules.engine.EventsOutcome;
import com.conversionrules.engine.ShardCore;
import com.conversionrules.http.EventParser;
import com.conversionrules.http.Fields;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.sender.ExitEnvelope;
import com.conversionrules.store.ChangeBatch;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition of the events topic as one shard: a Kafka Streams task runs it on one thread, so it
 * owns its {@link ShardCore} (one KieSession) alone. {@link #init} rebuilds the session from the
 * partition's state stores, which Kafka Streams restored from their changelogs before calling it;
 * each record is then one step of the core: its changes go to the stores, its exits to the exits
 * topic and what could not be evaluated to the dead-letter topic, all in the transaction that also
 * commits the record's offset (exactly_once_v2). A record is evaluated once, or, if the instance
 * dies first, evaluated again by the next owner from the same state.
 *
 * <p>A bad record never stops the partition: it goes to the dead-letter topic with the reason, and
 * the next one is evaluated.
 */
final class ShardProcessor implements Processor<String, byte[], String, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardProcessor.class);
    /** How often event ids older than the dedupe window are dropped from the store. */
    private static final Duration FORGET_EVERY = Duration.ofMinutes(10);
    /** How often, and how many events at a time, events are checked against their retention. */
    private static final Duration RETAIN_EVERY = Duration.ofSeconds(10);
    private static final int RETAIN_BUDGET = 20_000;

    private final Supplier<LoadedRules> rules;
    private final long dedupeWindowMillis;
    private final long retentionMillis;
    private final Clock clock;
    private final Metrics metrics;
    private final int partitions;
    private final PartitionTasks tasks;
    private final EventParser parser;
    private final DeadLetters deadLetters;
    private final ExitEnvelope envelope = new ExitEnvelope();

    private ProcessorContext<String, byte[]> context;
    private PartitionState state;
    private ShardCore core;
    private int partition = -1;
    private volatile long busySince;

    ShardProcessor(Supplier<LoadedRules> rules, Duration dedupeWindow, Duration eventRetention, Clock clock,
                   Metrics metrics, int partitions, PartitionTasks tasks) {
        this.rules = rules;
        this.dedupeWindowMillis = dedupeWindow.toMillis();
        this.retentionMillis = eventRetention.toMillis();
        this.clock = clock;
        this.metrics = metrics;
        this.partitions = partitions;
        this.tasks = tasks;
        this.parser = new EventParser(clock, 1);
        this.deadLetters = new DeadLetters(metrics);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.partition = context.taskId().partition();
        this.state = new PartitionState(context);
        long started = System.nanoTime();
        core = new ShardCore(rules.get(), dedupeWindowMillis, clock, metrics, state.pastEnrollments());
        state.campaigns().forEach(core::putCampaign);
        List<Enrollment> active = state.activeEnrollments();
        core.load(active);
        state.seenSince(clock.millis() - dedupeWindowMillis, core::seen);
        context.schedule(FORGET_EVERY, PunctuationType.WALL_CLOCK_TIME,
                at -> state.forgetSeenBefore(clock.millis() - dedupeWindowMillis));
        context.schedule(RETAIN_EVERY, PunctuationType.WALL_CLOCK_TIME,
                at -> state.forgetEventsBefore(clock.millis() - retentionMillis, RETAIN_BUDGET));
        tasks.started(partition, this);
        LOG.info("Partition {}: session rebuilt with {} active enrollments and {} event ids in {} ms", partition,
                active.size(), core.seenCount(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        busySince = System.nanoTime();
        try {
            LoadedRules current = rules.get();
            if (current != core.rules()) {
                // Between two records, so no event is lost or evaluated twice across the switch.
                core.swapRules(current);
            }
            ChangeBatch writes = evaluate(record);
            if (writes == null) {
                return;
            }
            state.apply(writes);
            // Written: re-entry rules read these users' exits from the stores from now on.
            writes.exits().forEach(core::settled);
            for (Exit exit : writes.exits()) {
                context.forward(new Record<>(exit.userId(), envelope.of(exit), exit.exitedAt()), ConversionTopology.EXITS_SINK);
            }
            RecordMetadata source = context.recordMetadata().orElseThrow();
            for (FailedEvent failed : writes.failed()) {
                context.forward(deadLetters.of(failed, source), ConversionTopology.DEAD_LETTER_SINK);
            }
            if (!writes.exits().isEmpty()) {
                metrics.exitsCommitted(writes.exits());
            }
            if (!writes.failed().isEmpty()) {
                metrics.eventsFailed(writes.failed());
            }
        } finally {
            busySince = 0;
        }
    }

    /**
     * One record as one step of the core; null when it went to the dead-letter topic instead. Only
     * evaluation is guarded: a store that cannot write fails the task, and Kafka Streams starts it
     * again from the last commit.
     */
    private ChangeBatch evaluate(Record<String, byte[]> record) {
        String kind = Wire.header(record.headers(), Wire.KIND);
        ShardCore.Step step = null;
        try {
            if (kind == null || Wire.EVENT.equals(kind)) {
                UserEvent event = parser.one(Wire.tree(record.value()));
                String misplaced = misplaced(event.getUserId());
                if (misplaced != null) {
                    deadLetter(record, DeadLetters.WRONG_PARTITION, misplaced);
                    return null;
                }
                step = core.step();
                ShardCore.EventProgress progress = step.events(List.of(event));
                ChangeBatch writes = step.finish();
                EventsOutcome outcome = progress.outcome();
                metrics.eventsEvaluated(outcome.accepted(), outcome.duplicates());
                return writes;
            }
            if (Wire.ENROLL.equals(kind)) {
                Enrollment enrollment = Wire.enrollment(Wire.tree(record.value()));
                checkIds(enrollment.getCampaignId(), enrollment.getUserId());
                step = core.step();
                step.enroll(enrollment.getCampaignId(), List.of(enrollment));
                return step.finish();
            }
            if (Wire.REMOVE.equals(kind)) {
                Wire.Removal removal = Wire.removal(Wire.tree(record.value()));
                checkIds(removal.campaignId(), removal.userId());
                step = core.step();
                step.remove(removal.campaignId(), removal.userId());
                return step.finish();
            }
            if (Wire.CAMPAIGN.equals(kind)) {
                Campaign campaign = Wire.campaign(record.value());
                ChangeBatch writes = core.campaignExits(campaign);
                core.applyCampaign(campaign);
                writes.campaign(campaign, false);
                return writes;
            }
            throw Rejection.invalid("the header " + Wire.KIND + " says '" + kind + "', which is none of "
                    + List.of(Wire.EVENT, Wire.ENROLL, Wire.REMOVE, Wire.CAMPAIGN));
        } catch (Rejection refused) {
            if (step != null) {
                step.abandon();
            }
            deadLetter(record, refused.kind() == Rejection.Kind.CONFLICT ? DeadLetters.NOT_LIVE : DeadLetters.INVALID,
                    refused.getMessage());
            return null;
        } catch (RuntimeException fault) {
            if (step != null) {
                step.abandon();
            }
            LOG.error("Partition {} failed on the record at offset {}; it goes to the dead-letter topic and the "
                    + "session is rebuilt from the partition's stores", partition,
                    context.recordMetadata().map(RecordMetadata::offset).orElse(-1L), fault);
            rebuildSession();
            deadLetter(record, DeadLetters.INTERNAL_ERROR, "the service failed on this record: " + fault);
            return null;
        }
    }

    private void deadLetter(Record<String, byte[]> record, String kind, String reason) {
        context.forward(deadLetters.of(record, context.recordMetadata().orElseThrow(), kind, reason),
                ConversionTopology.DEAD_LETTER_SINK);
    }

    /** The session may hold part of a step that failed: start again from what the stores hold. */
    private void rebuildSession() {
        core.reset(state.activeEnrollments());
        core.forgetSeen();
        state.seenSince(clock.millis() - dedupeWindowMillis, core::seen);
    }

    private static void checkIds(String campaignId, String userId) {
        Fields.checkId("campaignId", campaignId);
        Fields.checkId("userId", userId);
    }

    /**
     * Why the user's record is misplaced, or null when it is not. A user's records must all be on the
     * partition Kafka's default partitioner gives the user id (murmur2), where the user's enrollments
     * are: elsewhere an event would meet none of them.
     */
    private String misplaced(String userId) {
        int expected = partitionOf(userId, partitions);
        return expected == partition ? null : "user '" + userId + "' belongs to partition " + expected
                + " but this record is on partition " + partition + "; produce each event with the user id as its "
                + "key and the default partitioner";
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code userId}. */
    static int partitionOf(String userId, int partitions) {
        return Utils.toPositive(Utils.murmur2(Wire.bytes(userId))) % partitions;
    }

    /** How long this partition has been inside one record, in nanoseconds; 0 while it waits. */
    long busyNanos() {
        long since = busySince;
        return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
    }

    @Override
    public void close() {
        tasks.stopped(partition, this);
        if (core != null) {
            core.close();
        }
    }
}
