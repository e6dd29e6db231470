package com.conversionrules.cluster;

import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.Backlog;
import com.conversionrules.store.CampaignReport;
import com.conversionrules.store.CampaignStats;
import com.conversionrules.store.EndpointState;
import com.conversionrules.store.EnrollmentState;
import com.conversionrules.store.ExplainedExit;
import com.conversionrules.store.Performed;
import com.conversionrules.store.ReadModel;
import com.conversionrules.store.StoredExit;
import com.conversionrules.store.UserEnrollment;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The API's reads in a cluster. Per-user reads come from the user's partition's state stores on
 * this instance ({@link OwnerRouting} has sent the request to the owner first); a campaign's stats
 * add up every partition's counts, asking each instance for those of the partitions it evaluates;
 * exits, failed events and the sender's figures come from this instance's local read model, fed
 * from the cluster's topics.
 */
final class ClusterReads implements ReadModel, AutoCloseable {
    private final ClusterNode node;
    private final ReadModel local;
    /** This instance's share of the deliveries; null when it sends no webhooks. */
    private final ReadModel outbox;
    /** Store reads are quick but not free: off the event loops, as the store's own readers are. */
    private final ExecutorService readers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "cluster-reads");
        thread.setDaemon(true);
        return thread;
    });

    ClusterReads(ClusterNode node, ReadModel local, ReadModel outbox) {
        this.node = node;
        this.local = local;
        this.outbox = outbox;
    }

    @Override
    public CompletableFuture<Optional<EnrollmentState>> enrollment(String campaignId, String userId) {
        return onPartitionOf(userId, PartitionState.HISTORY,
                (ReadOnlyKeyValueStore<String, byte[]> history) -> PartitionReads.enrollment(history, campaignId, userId));
    }

    @Override
    public CompletableFuture<List<UserEnrollment>> enrollmentsOf(String userId, int limit) {
        return onPartitionOf(userId, PartitionState.HISTORY,
                (ReadOnlyKeyValueStore<String, byte[]> history) -> PartitionReads.enrollmentsOf(history, userId, limit));
    }

    @Override
    public CompletableFuture<Performed> performed(String userId, String eventName, long since) {
        return onPartitionOf(userId, PartitionState.EVENTS,
                (ReadOnlyKeyValueStore<String, Long> events) -> PartitionReads.performed(events, userId, eventName, since));
    }

    private <K, V, T> CompletableFuture<T> onPartitionOf(String userId, String storeName,
                                                         Function<ReadOnlyKeyValueStore<K, V>, T> read) {
        int partition = ShardProcessor.partitionOf(userId, node.partitions());
        return CompletableFuture.supplyAsync(() -> onPartition(storeName, partition, read), readers);
    }

    /** Reads the partition's store, if this instance evaluates the partition now. */
    private <K, V, T> T onPartition(String storeName, int partition, Function<ReadOnlyKeyValueStore<K, V>, T> read) {
        KafkaStreams streams = node.streams();
        try {
            if (streams == null) {
                throw new InvalidStateStoreException("not started");
            }
            // The store checks at every call that the partition is still here: the read itself may find it gone.
            return read.apply(streams.store(StoreQueryParameters.fromNameAndType(storeName,
                    QueryableStoreTypes.<K, V>keyValueStore()).withPartition(partition)));
        } catch (InvalidStateStoreException e) {
            throw Rejection.unavailable("partition " + partition + " is not evaluated on this instance now (it is "
                    + "moving or restoring); retry in a moment");
        }
    }

    @Override
    public CompletableFuture<CampaignStats> stats(String campaignId) {
        return report(campaignId).thenApply(CampaignReport::totals);
    }

    /**
     * The sum over every partition: this instance's own, and each other instance's as it reports
     * them. A partition nobody reports (it is moving) fails the read rather than undercount.
     */
    @Override
    public CompletableFuture<CampaignReport> report(String campaignId) {
        KafkaStreams streams = node.streams();
        if (streams == null) {
            return CompletableFuture.failedFuture(Rejection.unavailable("this instance is joining the cluster; retry "
                    + "in a moment"));
        }
        List<CompletableFuture<Map<Integer, CampaignCounts>>> shares = new ArrayList<>();
        for (StreamsMetadata member : streams.streamsMetadataForStore(PartitionState.COUNTS)) {
            shares.add(member.hostInfo().equals(node.self()) ? localCounts(campaignId)
                    : node.peers().get(member.hostInfo(), "/v1/cluster/campaigns/"
                            + URLEncoder.encode(campaignId, StandardCharsets.UTF_8) + "/counts")
                    .thenApply(answer -> {
                        if (answer.statusCode() != 200) {
                            throw Rejection.unavailable("the instance " + member.hostInfo().host() + ":"
                                    + member.hostInfo().port() + " answered " + answer.statusCode()
                                    + " for its share of the counts; retry in a moment");
                        }
                        return parseShare(answer.body());
                    }));
        }
        return CompletableFuture.allOf(shares.toArray(CompletableFuture[]::new)).thenApply(all -> {
            Map<Integer, CampaignCounts> byPartition = new HashMap<>();
            shares.forEach(share -> share.join().forEach(byPartition::putIfAbsent));
            CampaignCounts total = new CampaignCounts();
            for (int partition = 0; partition < node.partitions(); partition++) {
                CampaignCounts counts = byPartition.get(partition);
                if (counts == null) {
                    throw Rejection.unavailable("partition " + partition + " is moving between instances; its counts "
                            + "are not available; retry in a moment");
                }
                total.add(counts);
            }
            return total.report();
        });
    }

    /** The counts of the partitions this instance evaluates now, each on its own. */
    CompletableFuture<Map<Integer, CampaignCounts>> localCounts(String campaignId) {
        return CompletableFuture.supplyAsync(() -> {
            Map<Integer, CampaignCounts> counts = new TreeMap<>();
            KafkaStreams streams = node.streams();
            if (streams == null) {
                return counts;
            }
            String eventsTopic = node.eventsTopic();
            for (StreamsMetadata member : streams.streamsMetadataForStore(PartitionState.COUNTS)) {
                if (!member.hostInfo().equals(node.self())) {
                    continue;
                }
                for (TopicPartition partition : member.topicPartitions()) {
                    if (partition.topic().equals(eventsTopic)) {
                        try {
                            counts.put(partition.partition(), onPartition(PartitionState.COUNTS, partition.partition(),
                                    (ReadOnlyKeyValueStore<String, byte[]> store) -> PartitionReads.counts(store,
                                            campaignId)));
                        } catch (Rejection moving) {
                            // Reported by whoever evaluates it now, or the sum fails for lack of it.
                        }
                    }
                }
            }
            return counts;
        }, readers);
    }

    private static Map<Integer, CampaignCounts> parseShare(byte[] body) {
        Map<Integer, CampaignCounts> share = new HashMap<>();
        JsonNode partitions = Wire.tree(body).path("partitions");
        partitions.fields().forEachRemaining(entry -> share.put(Integer.parseInt(entry.getKey()),
                CampaignCounts.fromJson(Wire.bytes(entry.getValue().toString()))));
        return share;
    }

    @Override
    public CompletableFuture<List<StoredExit>> exitsAfter(long after, int limit) {
        return local.exitsAfter(after, limit);
    }

    @Override
    public CompletableFuture<Optional<StoredExit>> exit(String id) {
        return local.exit(id);
    }

    @Override
    public CompletableFuture<List<FailedEvent>> failedEventsAfter(long after, int limit) {
        return local.failedEventsAfter(after, limit);
    }

    @Override
    public CompletableFuture<List<EndpointState>> endpoints() {
        return outbox == null ? CompletableFuture.completedFuture(List.of()) : outbox.endpoints();
    }

    /** This instance's share: the deliveries of the exits the sender group gave it. */
    @Override
    public CompletableFuture<Map<String, Backlog>> backlog() {
        return outbox == null ? CompletableFuture.completedFuture(Map.of()) : outbox.backlog();
    }

    @Override
    public CompletableFuture<long[]> conversionsOverTime(String campaignId, long from, long bucketMillis, int buckets) {
        return local.conversionsOverTime(campaignId, from, bucketMillis, buckets);
    }

    @Override
    public CompletableFuture<List<ExplainedExit>> latestExits(String campaignId, int limit) {
        return local.latestExits(campaignId, limit);
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
