package com.conversionrules.cluster;

import com.conversionrules.metrics.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Where each partition stands on this instance, for /metrics: records of its state still to restore
 * before it can be evaluated here, and records of the events topic it has yet to evaluate (its
 * consumer lag; NaN where another instance evaluates it).
 */
final class PartitionProgress implements StateRestoreListener {
    /** Records left to restore, by changelog partition (one per store of a task). */
    private final Map<TopicPartition, Long> restoring = new ConcurrentHashMap<>();

    void register(Metrics metrics, int partitions, String eventsTopic, KafkaStreams streams) {
        for (int partition = 0; partition < partitions; partition++) {
            int p = partition;
            metrics.gauge("conversion_partition_restore_remaining",
                    "Records of the partition's state still to restore on this instance before it is evaluated here",
                    "partition", Integer.toString(p), () -> remaining(p));
            metrics.gauge("conversion_partition_lag",
                    "Records of the events topic the partition has yet to evaluate (NaN where another instance evaluates it)",
                    "partition", Integer.toString(p), () -> lag(streams, eventsTopic, p));
        }
    }

    private long remaining(int partition) {
        long left = 0;
        for (Map.Entry<TopicPartition, Long> entry : restoring.entrySet()) {
            if (entry.getKey().partition() == partition) {
                left += entry.getValue();
            }
        }
        return left;
    }

    /** The main consumer's lag on the partition, as Kafka's client measures it. */
    private static double lag(KafkaStreams streams, String eventsTopic, int partition) {
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && eventsTopic.equals(name.tags().get("topic"))
                    && Integer.toString(partition).equals(name.tags().get("partition"))) {
                Object value = entry.getValue().metricValue();
                return value instanceof Number number ? number.doubleValue() : Double.NaN;
            }
        }
        return Double.NaN;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        restoring.put(partition, Math.max(0, endingOffset - startingOffset));
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restoring.computeIfPresent(partition, (key, left) -> Math.max(0, left - numRestored));
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        restoring.remove(partition);
    }
}
