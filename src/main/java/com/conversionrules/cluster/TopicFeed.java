package com.conversionrules.cluster;

import com.conversionrules.http.EventParser;
import com.conversionrules.model.Exit;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.EngineStore;
import com.conversionrules.store.LogPosition;
import com.conversionrules.store.ReadModel;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exits (and events set aside by a rule, from the dead-letter topic) written into a local store as
 * the partitions' owners committed them: the consumer's offsets are committed to Kafka only once
 * the store holds what was read, so a crash reads them again rather than losing them. An exit the
 * store already holds (read again after such a crash) is skipped by its id. Each exit is stored
 * with its partition and offset, and each partition's exits in offset order: the exits feed pages
 * by them ({@link TopicExitFeed}).
 *
 * <p>Two feeds use it: this instance's read model, which takes every exit of the cluster (a group of
 * its own), and the webhook sender's outbox, which takes the exits of the partitions the sender
 * group gives this instance.
 */
final class TopicFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long RETRY_MILLIS = 1_000;

    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final String exitsTopic;
    private final EngineStore store;
    private final ReadModel stored;
    private final Consumer<List<Exit>> committed;
    private final EventParser parser;
    private final Thread thread;
    /** Partitions whose next exit may already be in the store (read again after a restart or a move). */
    private final Set<TopicPartition> unsure = new HashSet<>();
    /** How many partitions the group gives this consumer now, for the metrics. */
    private final AtomicInteger assigned = new AtomicInteger();
    private volatile boolean running = true;

    TopicFeed(String name, KafkaConsumer<String, byte[]> consumer, List<String> topics, String exitsTopic,
              EngineStore store, ReadModel stored, Consumer<List<Exit>> committed, Clock clock) {
        this.name = name;
        this.consumer = consumer;
        this.topics = topics;
        this.exitsTopic = exitsTopic;
        this.store = store;
        this.stored = stored;
        this.committed = committed;
        this.parser = new EventParser(clock, 1);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The partitions the group gives this consumer now. */
    int partitions() {
        return assigned.get();
    }

    private void run() {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    unsure.removeAll(partitions);
                    assigned.addAndGet(-partitions.size());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    unsure.addAll(partitions);
                    assigned.addAndGet(partitions.size());
                }
            });
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    write(records);
                }
            }
        } catch (WakeupException | InterruptException stopping) {
            // close() asked it to stop.
        } catch (RuntimeException e) {
            LOG.error("{} stopped: exits are no longer written here until a restart", name, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** Writes a poll's records in one commit, then commits their offsets; on failure reads them again. */
    private void write(ConsumerRecords<String, byte[]> records) {
        ChangeBatch batch = new ChangeBatch(System.currentTimeMillis());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            first.putIfAbsent(partition, record.offset());
            next.put(partition, new OffsetAndMetadata(record.offset() + 1));
            if (record.topic().equals(exitsTopic)) {
                Exit exit = exit(record);
                if (exit != null && !alreadyStored(partition, exit)) {
                    batch.exitMadeElsewhere(exit, new LogPosition(record.partition(), record.offset()));
                }
            } else {
                FailedEvent failed = setAside(record);
                if (failed != null) {
                    batch.failed(failed);
                }
            }
        }
        try {
            if (!batch.isEmpty()) {
                store.commit(batch, store.epoch()).join();
                if (!batch.exits().isEmpty()) {
                    committed.accept(batch.exits());
                }
            }
            consumer.commitSync(next);
        } catch (RuntimeException e) {
            LOG.warn("{} could not write {} records ({}); reading them again in a second", name, records.count(),
                    e.toString());
            first.forEach(consumer::seek);
            unsure.addAll(first.keySet());
            sleep();
        }
    }

    /**
     * Whether the store has the exit already. Only asked until the first exit it lacks after a
     * (re)assignment: the partition's later exits were never written here either.
     */
    private boolean alreadyStored(TopicPartition partition, Exit exit) {
        if (!unsure.contains(partition)) {
            return false;
        }
        if (stored.exit(exit.id()).join().isPresent()) {
            return true;
        }
        unsure.remove(partition);
        return false;
    }

    private Exit exit(ConsumerRecord<String, byte[]> record) {
        try {
            return Wire.exit(record.value());
        } catch (RuntimeException e) {
            LOG.warn("{}: skipped a record of {} partition {} offset {} that is not an exit: {}", name, record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    /** An event a rule failed on, as the dead-letter topic carries it; null for the other kinds of letters. */
    private FailedEvent setAside(ConsumerRecord<String, byte[]> record) {
        if (!DeadLetters.RULE_FAILED.equals(Wire.header(record.headers(), DeadLetters.KIND))) {
            return null;
        }
        try {
            UserEvent event = parser.one(Wire.tree(record.value()));
            return new FailedEvent(0, event, Wire.header(record.headers(), DeadLetters.RULE),
                    Wire.header(record.headers(), DeadLetters.RULE_FILE),
                    Wire.header(record.headers(), DeadLetters.RULES_VERSION),
                    Wire.header(record.headers(), DeadLetters.REASON), record.timestamp());
        } catch (RuntimeException e) {
            LOG.warn("{}: skipped a dead letter at {} partition {} offset {}: {}", name, record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
