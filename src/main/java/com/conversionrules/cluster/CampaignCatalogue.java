package com.conversionrules.cluster;

import com.conversionrules.model.Campaign;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaigns as the whole cluster changed them, read from the compacted campaigns topic: in full
 * at start, then followed on a thread of its own, so every instance answers campaign reads and
 * checks enrollments against the same catalogue, moments behind the instance that made a change.
 */
final class CampaignCatalogue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignCatalogue.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final TopicPartition partition;
    private Thread follower;
    private volatile boolean running = true;
    /** The offset after the last record handed on: every change before it is in the catalogue. */
    private long applied;
    private final Object appliedLock = new Object();

    CampaignCatalogue(KafkaClients clients) {
        this.consumer = clients.reader("campaigns");
        this.partition = new TopicPartition(clients.settings().campaignsTopic(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** Every campaign the topic holds, each as last changed; call once, before {@link #follow}. */
    List<Campaign> readAll(Duration timeout) {
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        Map<String, Campaign> campaigns = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("could not read the campaigns topic " + partition.topic() + " to its "
                        + "end within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                Campaign campaign = read(record);
                if (campaign != null) {
                    campaigns.put(campaign.id(), campaign);
                }
            }
        }
        setApplied(consumer.position(partition, timeout));
        return List.copyOf(campaigns.values());
    }

    private void setApplied(long next) {
        synchronized (appliedLock) {
            applied = next;
            appliedLock.notifyAll();
        }
    }

    /**
     * Waits until the change written at {@code offset} has been handed on, so the instance that made
     * it reads it back before answering; false when that took longer than {@code timeout}.
     */
    boolean awaitApplied(long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appliedLock) {
            while (applied <= offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                appliedLock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Hands each later change to {@code changed}, on the catalogue's own thread. */
    void follow(Consumer<Campaign> changed) {
        follower = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        Campaign campaign = read(record);
                        if (campaign != null) {
                            changed.accept(campaign);
                        }
                    }
                    // Past the records handed on, and past a transaction's commit marker.
                    setApplied(consumer.position(partition));
                }
            } catch (WakeupException | InterruptException stopping) {
                // close() asked it to stop.
            } catch (RuntimeException e) {
                LOG.error("Stopped following the campaigns topic; campaign changes made on other instances are not "
                        + "seen here until a restart", e);
            } finally {
                consumer.close();
            }
        }, "campaign-catalogue");
        follower.setDaemon(true);
        follower.start();
    }

    private static Campaign read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return Wire.campaign(record.value());
        } catch (RuntimeException e) {
            LOG.warn("Skipped a record of {} at offset {} that is not a campaign: {}", record.topic(), record.offset(),
                    e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        if (follower == null) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            follower.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
