package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** A batch gathered in Java is byte for byte the batch RocksDB builds from the same puts, and writes the same. */
class SerializedWriteBatchTest {
    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path dir;

    /** Keys and values around the varint's one-byte limit (127) and empty ones; the first array starts too small. */
    private static final byte[][][] PUTS = {
        {bytes(""), bytes("")},
        {bytes("a"), bytes("x".repeat(127))},
        {bytes("b".repeat(128)), bytes("y".repeat(128))},
        {bytes("c".repeat(300)), bytes("z".repeat(20_000))},
        {bytes("d"), bytes("ä\u0000é")},
    };

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void itsBytesAreThoseRocksDbGivesForTheSamePuts() throws Exception {
        SerializedWriteBatch ours = new SerializedWriteBatch(1);
        try (WriteBatch theirs = new WriteBatch()) {
            for (byte[][] put : PUTS) {
                ours.put(put[0], put[0].length, put[1]);
                theirs.put(put[0], put[1]);
            }
            try (WriteBatch built = ours.toWriteBatch()) {
                assertArrayEquals(theirs.data(), built.data());
                assertEquals(PUTS.length, built.count());
            }
        }
    }

    @Test
    void onlyTheGivenLengthOfAKeyIsPut() throws Exception {
        SerializedWriteBatch ours = new SerializedWriteBatch(64);
        ours.put(bytes("key-and-more"), 3, bytes("value"));
        try (WriteBatch theirs = new WriteBatch(); WriteBatch built = ours.toWriteBatch()) {
            theirs.put(bytes("key"), bytes("value"));
            assertArrayEquals(theirs.data(), built.data());
        }
    }

    @Test
    void aWrittenBatchReadsBackEveryPut() throws Exception {
        SerializedWriteBatch ours = new SerializedWriteBatch(16);
        for (byte[][] put : PUTS) {
            ours.put(put[0], put[0].length, put[1]);
        }
        try (Options options = new Options().setCreateIfMissing(true);
             RocksDB db = RocksDB.open(options, dir.toString());
             WriteOptions write = new WriteOptions();
             WriteBatch built = ours.toWriteBatch()) {
            db.write(write, built);
            for (byte[][] put : PUTS) {
                assertArrayEquals(put[1], db.get(put[0]), () -> "value of key " + Arrays.toString(put[0]));
            }
        }
    }
}
