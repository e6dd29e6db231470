package com.conversionrules.bench.storage;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB 10.10.1.1, one WriteBatch per group commit written with {@code sync=true}, in one of
 * three {@link Layout}s. All keep exits by sequence number (the outbox in feed order) and
 * enrollments by campaign and user (an exit overwrites the status, no read before the write). The
 * block cache is 256 MB, as SQLite's page cache in the service; bloom filters of 10 bits a key.
 */
final class RocksLog implements Candidate {
    enum Layout {
        /**
         * Three puts an event: events by sequence number (LZ4; the history a replay reads in order),
         * performed keys (hash(user, name) + time + sequence, no value; a query is one prefix seek
         * with a prefix bloom on the first 8 bytes), and dedupe keys (fingerprint -> received-at,
         * whole-key bloom: rebuilds the in-memory set, or answers the check by a get).
         */
        INDEXED,
        /**
         * One put an event: the event under its performed key (a query reads the same keys; a replay
         * goes user by user), and the commit's fingerprints as one value per commit.
         */
        LEAN,
        /**
         * RocksDB used as the log: one put per shard batch (its events, keyed by the first sequence
         * number, so keys only grow and compactions move files without rewriting them), the
         * commit's fingerprints as one value; the performed keys are written by an indexer off the
         * hot path, without the WAL (they are rebuilt from the log).
         */
        APPEND
    }

    private static final byte ACTIVE = 1;
    private static final byte CONVERTED = 2;
    private static final byte[] INDEXED_UP_TO = "indexed-up-to".getBytes(StandardCharsets.UTF_8);
    private static final int INDEX_BATCH = 100_000;

    static {
        RocksDB.loadLibrary();
    }

    private final Layout layout;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle events;
    private final ColumnFamilyHandle performed;
    private final ColumnFamilyHandle dedupeKeys;
    private final ColumnFamilyHandle exits;
    private final ColumnFamilyHandle enrollments;
    private final ColumnFamilyHandle commitKeys;
    private final ColumnFamilyHandle meta;
    private final WriteOptions sync = own(new WriteOptions().setSync(true));
    private final WriteBatch batch = own(new WriteBatch());
    private final LongOpenHashSet dedupe = new LongOpenHashSet();
    private final Records out = Records.writer();
    private final Records shardBatch = Records.writer();
    private final ByteBuffer key = ByteBuffer.allocate(24);
    /** Fingerprints of the commit being built (lean and append layouts). */
    private final LongArrayList pendingKeys = new LongArrayList();
    private long pendingReceivedAt;
    private long nextEventSeq;
    private long nextExitSeq;

    RocksLog(Path dir, Layout layout) throws RocksDBException {
        this.layout = layout;
        Cache cache = own(new LRUCache(256L << 20));
        ColumnFamilyOptions plain = family(cache, CompressionType.NO_COMPRESSION, false);
        ColumnFamilyOptions compressed = family(cache, CompressionType.LZ4_COMPRESSION, false);
        ColumnFamilyOptions prefixed = family(cache, CompressionType.NO_COMPRESSION, true).useFixedLengthPrefixExtractor(8);
        ColumnFamilyOptions eventOptions = layout == Layout.LEAN
                ? family(cache, CompressionType.LZ4_COMPRESSION, true).useFixedLengthPrefixExtractor(8) : compressed;
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plain),
                new ColumnFamilyDescriptor(bytes("events"), eventOptions),
                new ColumnFamilyDescriptor(bytes("performed"), prefixed),
                new ColumnFamilyDescriptor(bytes("dedupe"), plain),
                new ColumnFamilyDescriptor(bytes("exits"), compressed),
                new ColumnFamilyDescriptor(bytes("enrollments"), compressed),
                new ColumnFamilyDescriptor(bytes("commit_keys"), plain));
        DBOptions options = own(new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setBytesPerSync(1 << 20));
        db = RocksDB.open(options, dir.resolve("rocks").toString(), descriptors, handles);
        meta = handles.get(0);
        events = handles.get(1);
        performed = handles.get(2);
        dedupeKeys = handles.get(3);
        exits = handles.get(4);
        enrollments = handles.get(5);
        commitKeys = handles.get(6);
        nextEventSeq = layout == Layout.INDEXED ? lastKey(events) + 1 : nextSeqAfterCommitKeys();
        nextExitSeq = lastKey(exits) + 1;
    }

    private ColumnFamilyOptions family(Cache cache, CompressionType compression, boolean prefixBloom) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setFilterPolicy(own(new BloomFilter(10)))
                .setWholeKeyFiltering(!prefixBloom);
        return own(new ColumnFamilyOptions().setTableFormatConfig(table).setCompressionType(compression)
                .setWriteBufferSize(64L << 20));
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    private long lastKey(ColumnFamilyHandle family) {
        try (RocksIterator last = db.newIterator(family)) {
            last.seekToLast();
            return last.isValid() ? ByteBuffer.wrap(last.key()).getLong() : 0;
        }
    }

    private long nextSeqAfterCommitKeys() {
        try (RocksIterator last = db.newIterator(commitKeys)) {
            last.seekToLast();
            return last.isValid() ? ByteBuffer.wrap(last.key()).getLong() + (last.value().length - 8) / 8 : 1;
        }
    }

    @Override
    public boolean duplicate(StoredEvent event) {
        return !dedupe.add(event.fingerprint());
    }

    /** The other way to dedupe (indexed layout): ask RocksDB, whose bloom filter answers most new keys from memory. */
    boolean storedBefore(long fingerprint) throws RocksDBException {
        byte[] fingerprintKey = Records.longKey(fingerprint);
        return db.keyMayExist(dedupeKeys, fingerprintKey, null) && db.get(dedupeKeys, fingerprintKey) != null;
    }

    /** Bytes the dedupe family's bloom filters and indexes hold in memory (table readers). */
    long dedupeFilterBytes() throws RocksDBException {
        return db.getLongProperty(dedupeKeys, "rocksdb.estimate-table-readers-mem");
    }

    @Override
    public void write(ShardBatch shard) throws RocksDBException {
        long first = nextEventSeq;
        shardBatch.start();
        for (StoredEvent event : shard.events()) {
            long seq = nextEventSeq++;
            if (layout != Layout.INDEXED) {
                if (pendingKeys.isEmpty()) {
                    pendingReceivedAt = event.receivedAt();
                }
                pendingKeys.add(event.fingerprint());
            }
            switch (layout) {
                case INDEXED -> {
                    batch.put(events, Records.longKey(seq), Records.event(out, event));
                    batch.put(performed, performedKey(event.performedKey(), event.time(), seq), new byte[0]);
                    batch.put(dedupeKeys, Records.longKey(event.fingerprint()), Records.longKey(event.receivedAt()));
                }
                case LEAN -> batch.put(events, performedKey(event.performedKey(), event.time(), seq), Records.event(out, event));
                case APPEND -> {
                    Records.encodeEvent(out.start(), event);
                    shardBatch.put(out.buffer().array(), out.buffer().position());
                }
            }
        }
        if (layout == Layout.APPEND && !shard.events().isEmpty()) {
            batch.put(events, Records.longKey(first), shardBatch.bytes());
        }
        for (StoredExit exit : shard.exits()) {
            batch.put(exits, Records.longKey(nextExitSeq++), Records.encodeExit(out.start(), exit).bytes());
            batch.put(enrollments, enrollmentKey(exit.campaignId(), exit.userId()),
                    out.start().put(CONVERTED).put(exit.exitedAt()).put(exit.id()).bytes());
        }
    }

    private byte[] performedKey(long performedKey, long time, long seq) {
        key.clear();
        key.putLong(performedKey).putLong(time).putLong(seq);
        return key.array().clone();
    }

    @Override
    public void commit() throws RocksDBException {
        if (!pendingKeys.isEmpty()) {
            ByteBuffer value = ByteBuffer.allocate(8 + pendingKeys.size() * 8).putLong(pendingReceivedAt);
            value.asLongBuffer().put(pendingKeys.elements(), 0, pendingKeys.size());
            batch.put(commitKeys, Records.longKey(nextEventSeq - pendingKeys.size()), value.array());
            pendingKeys.clear();
        }
        db.write(sync, batch);
        batch.clear();
    }

    @Override
    public void enroll(List<StoredEnrollment> chunk) throws RocksDBException {
        for (StoredEnrollment enrollment : chunk) {
            batch.put(enrollments, enrollmentKey(enrollment.campaignId(), enrollment.userId()),
                    out.start().put(ACTIVE).put(enrollment.enrolledAt()).bytes());
        }
        commit();
    }

    private static byte[] enrollmentKey(String campaignId, String userId) {
        return (campaignId + '\u0000' + userId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The append layout's indexer first (performed keys for the batches not indexed yet, written
     * without the WAL, then flushed); then, for every layout, memtables flushed and compactions
     * waited for.
     */
    @Override
    public void catchUp() throws RocksDBException, InterruptedException {
        if (layout == Layout.APPEND) {
            index();
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, handles.subList(1, handles.size()));
        }
        while (db.getLongProperty("rocksdb.compaction-pending") > 0
                || db.getLongProperty("rocksdb.num-running-compactions") > 0
                || db.getLongProperty("rocksdb.num-running-flushes") > 0) {
            Thread.sleep(20);
        }
    }

    private void index() throws RocksDBException {
        byte[] mark = db.get(meta, INDEXED_UP_TO);
        long indexedUpTo = mark == null ? 0 : ByteBuffer.wrap(mark).getLong();
        try (WriteOptions noWal = new WriteOptions().setDisableWAL(true);
             WriteBatch keys = new WriteBatch();
             ReadOptions scan = new ReadOptions().setFillCache(false).setReadaheadSize(2 << 20);
             RocksIterator batches = db.newIterator(events, scan)) {
            int pending = 0;
            for (batches.seek(Records.longKey(indexedUpTo + 1)); batches.isValid(); batches.next()) {
                long seq = ByteBuffer.wrap(batches.key()).getLong();
                ByteBuffer records = ByteBuffer.wrap(batches.value());
                while (records.hasRemaining()) {
                    int length = records.getInt();
                    int end = records.position() + length;
                    records.get(); // type
                    records.getLong(); // fingerprint
                    long time = records.getLong();
                    records.getLong(); // received at
                    String userId = Records.string(records);
                    Records.skipString(records); // event id
                    String name = Records.string(records);
                    records.position(end);
                    keys.put(performed, performedKey(Fingerprints.of(userId, name), time, seq), new byte[0]);
                    indexedUpTo = seq++;
                    if (++pending == INDEX_BATCH) {
                        keys.put(meta, INDEXED_UP_TO, Records.longKey(indexedUpTo));
                        db.write(noWal, keys);
                        keys.clear();
                        pending = 0;
                    }
                }
            }
            keys.put(meta, INDEXED_UP_TO, Records.longKey(indexedUpTo));
            db.write(noWal, keys);
        }
    }

    @Override
    public long rebuildDedupe(long since) {
        if (layout != Layout.INDEXED) {
            try (ReadOptions scan = new ReadOptions().setFillCache(false);
                 RocksIterator commits = db.newIterator(commitKeys, scan)) {
                for (commits.seekToFirst(); commits.isValid(); commits.next()) {
                    ByteBuffer value = ByteBuffer.wrap(commits.value());
                    if (value.getLong() >= since) {
                        while (value.hasRemaining()) {
                            dedupe.add(value.getLong());
                        }
                    }
                }
            }
            return dedupe.size();
        }
        try (ReadOptions scan = new ReadOptions().setFillCache(false).setReadaheadSize(2 << 20);
             RocksIterator keys = db.newIterator(dedupeKeys, scan)) {
            for (keys.seekToFirst(); keys.isValid(); keys.next()) {
                if (ByteBuffer.wrap(keys.value()).getLong() >= since) {
                    dedupe.add(ByteBuffer.wrap(keys.key()).getLong());
                }
            }
        }
        return dedupe.size();
    }

    @Override
    public void readActive(Consumer<StoredEnrollment> consumer) {
        try (ReadOptions scan = new ReadOptions().setFillCache(false).setReadaheadSize(2 << 20);
             RocksIterator rows = db.newIterator(enrollments, scan)) {
            // One String per campaign id, as the service keeps them.
            Map<String, String> campaignIds = new HashMap<>();
            for (rows.seekToFirst(); rows.isValid(); rows.next()) {
                ByteBuffer value = ByteBuffer.wrap(rows.value());
                if (value.get() != ACTIVE) {
                    continue;
                }
                String campaignAndUser = new String(rows.key(), StandardCharsets.UTF_8);
                int split = campaignAndUser.indexOf('\u0000');
                String campaignId = campaignIds.computeIfAbsent(campaignAndUser.substring(0, split), id -> id);
                consumer.accept(new StoredEnrollment(campaignId, campaignAndUser.substring(split + 1), value.getLong()));
            }
        }
    }

    @Override
    public Performed performed(String userId, String name, long since) {
        ByteBuffer seek = ByteBuffer.allocate(16).putLong(Fingerprints.of(userId, name)).putLong(since);
        try (ReadOptions prefix = new ReadOptions().setPrefixSameAsStart(true);
             RocksIterator keys = db.newIterator(layout == Layout.LEAN ? events : performed, prefix)) {
            long count = 0;
            long last = -1;
            for (keys.seek(seek.array()); keys.isValid(); keys.next()) {
                count++;
                last = ByteBuffer.wrap(keys.key()).getLong(8);
            }
            return count == 0 ? Performed.NONE : new Performed(count, last);
        }
    }

    @Override
    public void close() throws Exception {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
