package com.conversionrules.cluster;

import com.conversionrules.config.KafkaSettings;
import com.conversionrules.startup.StartupException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the service's topics at first start and checks them at every start:
 *
 * <ul>
 * <li>{@code <prefix>events}: events, enrollments, removals and campaign changes, keyed by user id
 * (campaign changes are copied to every partition); {@code KAFKA_PARTITIONS} partitions, the most
 * instances that can share the work;
 * <li>{@code <prefix>exits}: one CloudEvents JSON record per exit, keyed by user id;
 * <li>{@code <prefix>events.dead-letter}: records that could not be evaluated, with the reason in headers;
 * <li>{@code <prefix>campaigns}: compacted, one partition: the latest definition of every campaign,
 * read in full by each instance at start, whatever the events topic keeps.
 * </ul>
 *
 * <p>Replication: {@code KAFKA_REPLICATION_FACTOR} when set; else 3, or the number of brokers when the
 * cluster has fewer (a one-broker cluster gets 1). With 3 replicas or more, a write is acknowledged once
 * two hold it ({@code min.insync.replicas=2}).
 */
final class ClusterTopics {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTopics.class);
    private static final int DEFAULT_REPLICATION = 3;
    private static final long WAIT_SECONDS = 30;

    private ClusterTopics() {
    }

    /** Creates what is missing, checks what exists; returns the replication factor in use. */
    static short ensure(Admin admin, KafkaSettings settings) throws InterruptedException, StartupException {
        short replication = replication(admin, settings);
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> wanted = List.of(
                topic(settings.eventsTopic(), settings.partitions(), replication, Map.of()),
                topic(settings.exitsTopic(), settings.partitions(), replication, Map.of()),
                topic(settings.deadLetterTopic(), settings.partitions(), replication, Map.of()),
                topic(settings.campaignsTopic(), 1, replication, compacted));
        Set<String> existing = await(admin.listTopics().names(), "list the topics");
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic topic : wanted) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            try {
                await(admin.createTopics(missing).all(), "create the topics " + missing.stream().map(NewTopic::name).toList());
                LOG.info("Created the topics {} with replication {}", missing.stream().map(NewTopic::name).toList(),
                        replication);
            } catch (StartupException e) {
                // Another instance starting at the same time created them first.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        check(admin, settings);
        return replication;
    }

    private static short replication(Admin admin, KafkaSettings settings)
            throws InterruptedException, StartupException {
        if (settings.replicationFactor() != null) {
            return settings.replicationFactor().shortValue();
        }
        int brokers = await(admin.describeCluster().nodes(), "count its brokers").size();
        short chosen = (short) Math.max(1, Math.min(DEFAULT_REPLICATION, brokers));
        if (chosen < DEFAULT_REPLICATION) {
            LOG.warn("The cluster has {} broker(s): topics get replication {} (set {} to choose); a broker lost "
                    + "then loses what only it held", brokers, chosen, KafkaSettings.KAFKA_REPLICATION_FACTOR);
        }
        return chosen;
    }

    private static NewTopic topic(String name, int partitions, short replication, Map<String, String> configs) {
        Map<String, String> all = new HashMap<>(configs);
        if (replication >= 3) {
            all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        return new NewTopic(name, partitions, replication).configs(all);
    }

    /** The events topic's partitions are where each user lives: a different count would move users between sessions. */
    private static void check(Admin admin, KafkaSettings settings) throws InterruptedException, StartupException {
        Map<String, TopicDescription> described = await(admin.describeTopics(List.of(settings.eventsTopic()))
                .allTopicNames(), "describe the events topic");
        int partitions = described.get(settings.eventsTopic()).partitions().size();
        if (partitions != settings.partitions()) {
            throw new StartupException("the topic " + settings.eventsTopic() + " has " + partitions
                    + " partitions but " + KafkaSettings.KAFKA_PARTITIONS + " is " + settings.partitions()
                    + "; the count is fixed when the topic is created: set " + KafkaSettings.KAFKA_PARTITIONS + "="
                    + partitions);
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) throws InterruptedException, StartupException {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            StartupException failed = new StartupException("the Kafka cluster refused to " + what + ": "
                    + e.getCause().getMessage());
            failed.initCause(e.getCause());
            throw failed;
        } catch (TimeoutException e) {
            throw new StartupException("could not reach the Kafka cluster to " + what + " within " + WAIT_SECONDS
                    + " s; check " + KafkaSettings.KAFKA_BOOTSTRAP_SERVERS + " and that the brokers are up");
        }
    }
}
