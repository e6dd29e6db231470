package com.conversionrules.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import it.unimi.dsi.fastutil.ints.IntArrays;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.objects.ObjectArrayList;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.TtlDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The performed-event index on disk: a RocksDB (an LSM tree) of one key per event, the
 * fingerprint of its user and name ({@link EventKey}), then its time and seq, so "has U done E
 * since T" is one prefix seek. A B-tree took a random page write per event that grew with the
 * index (3.4 us an event at 4M entries, 9 us at 40M); an LSM writes sequentially at about the same
 * cost at any size (bench/performed-index.sh). Each value is the user id and the name, which a
 * query compares, so two pairs sharing a fingerprint never count for each other.
 *
 * <p>Derived data, written through RocksDB's own log but never synced: a killed process loses
 * nothing (the system holds the log), a power cut may lose the last writes together with the mark of
 * how far the index got, and the index takes them again from the event log (without RocksDB's log, a
 * kill -9 left up to a memtable of entries, about a million events, to index again that way). Entries expire after the event retention (RocksDB's TTL, applied as it
 * compacts); queries also skip seqs the log no longer holds.
 */
final class PerformedFile implements AutoCloseable {
    static final String DIR_NAME = "performed";
    private static final byte[] INDEXED = {0};
    private static final int KEY_BYTES = 3 * Long.BYTES;
    /**
     * Small skip lists, flushed eight at a time as one file: an insert into an 8 MB skip list costs
     * about half of one into 64 MB (fewer levels, fewer cache misses), and merging eight at the flush
     * keeps level-0 files, and so compactions, as large as one 64 MB memtable made them
     * (bench/performed-index.sh: 1.16-2.27 us an event against 1.36-2.50; BENCHMARKS.md §12).
     */
    private static final long MEMTABLE_BYTES = 8L << 20;
    private static final int MEMTABLES_PER_FLUSH = 8;
    /** The blocks queries read, as the SQLite index had for its page cache. */
    private static final long CACHE_BYTES = 64L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final Options options;
    private final TtlDB db;
    private final WriteOptions unsynced = new WriteOptions().setSync(false);

    private PerformedFile(Options options, TtlDB db) {
        this.options = options;
        this.db = db;
    }

    /** Opens the index under {@code dataDir}; entries expire {@code retention} after they were written (zero: never). */
    static PerformedFile open(Path dataDir, Duration retention) throws RocksDBException, IOException {
        Path dir = dataDir.resolve(DIR_NAME);
        // RocksDB creates its files readable by all (0644): the folder keeps them to the service's user.
        PrivateFolder.create(dir);
        Options options = new Options().setCreateIfMissing(true)
                .setWriteBufferSize(MEMTABLE_BYTES)
                .setMinWriteBufferNumberToMerge(MEMTABLES_PER_FLUSH)
                .setMaxWriteBufferNumber(MEMTABLES_PER_FLUSH + 2)
                .setMaxBackgroundJobs(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .useFixedLengthPrefixExtractor(Long.BYTES)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(new LRUCache(CACHE_BYTES))
                        .setFilterPolicy(new BloomFilter(10))
                        .setWholeKeyFiltering(false));
        int ttlSeconds = (int) Math.min(Integer.MAX_VALUE, retention.toSeconds());
        try {
            return new PerformedFile(options, TtlDB.open(options, dir.toString(), ttlSeconds, false));
        } catch (RocksDBException e) {
            options.close();
            throw e;
        }
    }

    /** Deletes the index's files, for an index that does not open. */
    static void destroy(Path dataDir) throws RocksDBException {
        try (Options options = new Options()) {
            RocksDB.destroyDB(dataDir.resolve(DIR_NAME).toString(), options);
        }
    }

    /** The last seq the index holds every event up to; 0 when empty. */
    long indexed() throws RocksDBException {
        byte[] value = db.get(INDEXED);
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /**
     * Entries to write together with how far they take the index. They go into RocksDB sorted by
     * key: its in-memory skip list takes a run of ascending keys at about half the cost of the same
     * keys in arrival order (bench/performed-index.sh).
     */
    final class Batch {
        private final LongArrayList fingerprints = new LongArrayList();
        private final LongArrayList times = new LongArrayList();
        private final LongArrayList seqs = new LongArrayList();
        private final ObjectArrayList<String> users = new ObjectArrayList<>();
        private final ObjectArrayList<String> names = new ObjectArrayList<>();

        void add(long seq, String userId, String name, long time) {
            fingerprints.add(EventKey.of(userId, name));
            times.add(time ^ Long.MIN_VALUE);
            seqs.add(seq);
            users.add(userId);
            names.add(name);
        }

        int size() {
            return seqs.size();
        }

        /** Writes the entries and marks the index as holding every event up to {@code upTo}. */
        void write(long upTo) throws RocksDBException {
            int[] order = new int[size()];
            Arrays.setAll(order, i -> i);
            IntArrays.quickSort(order, (a, b) -> {
                int byKey = Long.compareUnsigned(fingerprints.getLong(a), fingerprints.getLong(b));
                if (byKey != 0) {
                    return byKey;
                }
                int byTime = Long.compareUnsigned(times.getLong(a), times.getLong(b));
                return byTime != 0 ? byTime : Long.compare(seqs.getLong(a), seqs.getLong(b));
            });
            ByteBuffer key = ByteBuffer.allocate(KEY_BYTES);
            try (WriteBatch batch = new WriteBatch()) {
                for (int i : order) {
                    key.clear();
                    key.putLong(fingerprints.getLong(i)).putLong(times.getLong(i)).putLong(seqs.getLong(i));
                    batch.put(key.array(), value(users.get(i), names.get(i)));
                }
                batch.put(INDEXED, ByteBuffer.allocate(Long.BYTES).putLong(upTo).array());
                db.write(unsynced, batch);
            }
        }
    }

    Batch batch() {
        return new Batch();
    }

    /** How often the user did the event at or after {@code since}, and when last, among seqs from {@code firstKept}. */
    Performed performed(String userId, String name, long since, long firstKept) {
        long fingerprint = EventKey.of(userId, name);
        byte[] expected = value(userId, name);
        long count = 0;
        long last = Long.MIN_VALUE;
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(true);
             RocksIterator entries = db.newIterator(read)) {
            entries.seek(ByteBuffer.allocate(KEY_BYTES).putLong(fingerprint).putLong(since ^ Long.MIN_VALUE).putLong(0)
                    .array());
            for (; entries.isValid(); entries.next()) {
                ByteBuffer key = ByteBuffer.wrap(entries.key());
                if (key.remaining() != KEY_BYTES || key.getLong() != fingerprint) {
                    break;
                }
                long time = key.getLong() ^ Long.MIN_VALUE;
                long seq = key.getLong();
                if (seq >= firstKept && Arrays.equals(entries.value(), expected)) {
                    count++;
                    last = Math.max(last, time);
                }
            }
        }
        return new Performed(count, count == 0 ? null : last);
    }

    private static byte[] value(String userId, String name) {
        return (userId + '\u0000' + name).getBytes(StandardCharsets.UTF_8);
    }

    /** Flushes what is in memory, so a clean stop leaves nothing for the next start to index again. */
    @Override
    public void close() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (RocksDBException e) {
            // The next start indexes the lost part again from the event log.
        }
        db.close();
        unsynced.close();
        options.close();
    }
}
