package com.conversionrules.cluster;

import com.conversionrules.config.KafkaSettings;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams topology: the events topic, one {@link ShardProcessor} per partition with the
 * partition's state stores (RocksDB, each with a changelog topic), and two sinks, the exits topic
 * and the dead-letter topic.
 *
 * <pre>
 *   events ──> shard (KieSession + stores) ──> exits
 *                                          └─> events.dead-letter
 * </pre>
 */
final class ConversionTopology {
    static final String SOURCE = "events-source";
    static final String PROCESSOR = "shard";
    static final String EXITS_SINK = "exits-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private ConversionTopology() {
    }

    static Topology build(KafkaSettings settings, ProcessorSupplier<String, byte[], String, byte[]> shards) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), settings.eventsTopic());
        topology.addProcessor(PROCESSOR, shards, SOURCE);
        topology.addStateStore(cached(PartitionState.CAMPAIGNS, Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(cached(PartitionState.ACTIVE, Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addStateStore(cached(PartitionState.HISTORY, Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(cached(PartitionState.COUNTS, Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        // One new key per event: a cache would only hold memory.
        topology.addStateStore(store(PartitionState.SEEN, Serdes.Bytes(), Serdes.ByteArray()), PROCESSOR);
        topology.addStateStore(store(PartitionState.EVENTS, Serdes.String(), Serdes.Long()), PROCESSOR);
        topology.addSink(EXITS_SINK, settings.exitsTopic(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, settings.deadLetterTopic(), new StringSerializer(), new ByteArraySerializer(),
                PROCESSOR);
        return topology;
    }

    private static <K, V> StoreBuilder<KeyValueStore<K, V>> store(String name, Serde<K> keys, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values);
    }

    /** Written again and again under the same keys: the cache sends the changelog one record per key and commit. */
    private static <K, V> StoreBuilder<KeyValueStore<K, V>> cached(String name, Serde<K> keys, Serde<V> values) {
        return store(name, keys, values).withCachingEnabled();
    }
}
