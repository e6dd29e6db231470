package com.conversionrules.cluster;

import com.conversionrules.campaign.CampaignLog;
import com.conversionrules.config.KafkaSettings;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Rejection;
import com.conversionrules.rules.LoadedRules;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaign changes in a cluster, in one Kafka transaction each: the campaign goes to the compacted
 * campaigns topic (the catalogue every instance reads) and a copy to every partition of the events
 * topic, so each partition applies the change at one place in its order, with its users' events
 * and enrollments: an enrollment taken after the launch was answered comes after the launch on its
 * partition. All of it is written, or none. Rules go to this instance's partitions only: each
 * instance reads its own rules folder.
 *
 * <p>Called on the campaign service's single thread, which may wait.
 */
final class CampaignBroadcast implements CampaignLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignBroadcast.class);

    /** How long a change waits to read itself back from the catalogue before it is answered. */
    private static final Duration READ_BACK = Duration.ofSeconds(10);

    private final KafkaClients clients;
    private final String transactionalId;
    private final AtomicReference<LoadedRules> rules;
    private final CampaignCatalogue catalogue;
    private KafkaProducer<String, byte[]> producer;

    CampaignBroadcast(KafkaClients clients, String transactionalId, AtomicReference<LoadedRules> rules,
                      CampaignCatalogue catalogue) {
        this.clients = clients;
        this.transactionalId = transactionalId;
        this.rules = rules;
        this.catalogue = catalogue;
        this.producer = newProducer();
    }

    /** Fences a previous run under the same id: a change it left open is aborted now, not after a timeout. */
    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> created = clients.transactionalProducer(transactionalId);
        created.initTransactions();
        return created;
    }

    @Override
    public synchronized CompletableFuture<Integer> changeCampaign(Campaign next, boolean isNew) {
        KafkaSettings settings = clients.settings();
        byte[] value = Wire.campaign(next);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Wire.KIND, Wire.bytes(Wire.CAMPAIGN));
        long offset;
        try {
            if (producer == null) {
                producer = newProducer();
            }
            producer.beginTransaction();
            Future<RecordMetadata> catalogued = producer.send(new ProducerRecord<>(settings.campaignsTopic(), next.id(),
                    value));
            for (int partition = 0; partition < settings.partitions(); partition++) {
                producer.send(new ProducerRecord<>(settings.eventsTopic(), partition, next.id(), value, headers));
            }
            producer.commitTransaction();
            offset = catalogued.get().offset();
        } catch (KafkaException | ExecutionException e) {
            LOG.warn("Campaign change of '{}' was not written: {}", next.id(), e.toString());
            abandon();
            throw Rejection.unavailable("the Kafka cluster did not take the change (" + e.getMessage()
                    + "); nothing was changed, retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Rejection.unavailable("interrupted while writing the change; retry");
        }
        try {
            // Read back before answering, so this instance's next request sees the change.
            if (!catalogue.awaitApplied(offset, READ_BACK)) {
                LOG.warn("Campaign change of '{}' is written but was not read back within {} s", next.id(),
                        READ_BACK.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // How many enrollments a campaign that ends takes out is known on each partition, moments later.
        return CompletableFuture.completedFuture(null);
    }

    /** Aborts what is open; a producer in a state that cannot abort is replaced. */
    private void abandon() {
        if (producer == null) {
            return;
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            producer = null;
            try {
                producer = newProducer();
            } catch (KafkaException again) {
                LOG.warn("Could not set up the campaign producer again ({}); the next change tries again", again.toString());
            }
        }
    }

    @Override
    public boolean feedsCatalogue() {
        return true;
    }

    @Override
    public CompletableFuture<Void> loadCampaign(Campaign campaign) {
        // Each partition keeps the campaigns in its own stores: nothing to load.
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> swapRules(LoadedRules next) {
        // Each of this instance's partitions moves to them before its next record.
        rules.set(next);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
