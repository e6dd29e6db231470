package com.conversionrules.store;

import java.util.Arrays;
import org.rocksdb.WriteBatch;

/**
 * Puts for RocksDB gathered in Java in RocksDB's own serialized form of a write batch, then handed
 * over in one call: {@code WriteBatch.put} crosses JNI once an entry, which was nearly half of the
 * performed-event indexer's CPU. The form is the one {@code WriteBatch.data()} returns and
 * {@code new WriteBatch(byte[])} takes (RocksDB's write_batch.cc): a 12-byte header (sequence,
 * fixed64, left 0 for RocksDB to set; count, fixed32; both little-endian), then per put the type
 * byte 1 and the key and the value, each as a varint32 length and its bytes. Default column
 * family only. {@code SerializedWriteBatchTest} compares the bytes with RocksDB's own.
 */
final class SerializedWriteBatch {
    private static final int HEADER_BYTES = 12;
    private static final byte TYPE_VALUE = 0x1;

    private byte[] bytes;
    private int size = HEADER_BYTES;
    private int count;

    SerializedWriteBatch(int expectedBytes) {
        bytes = new byte[Math.max(HEADER_BYTES, expectedBytes)];
    }

    /** Adds a put of {@code key} (its first {@code keyLength} bytes) to {@code value}. */
    void put(byte[] key, int keyLength, byte[] value) {
        ensure(1 + 2 * 5 + keyLength + value.length);
        bytes[size++] = TYPE_VALUE;
        putVarint(keyLength);
        System.arraycopy(key, 0, bytes, size, keyLength);
        size += keyLength;
        putVarint(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
        count++;
    }

    /** The batch for RocksDB to write; the caller closes it. */
    WriteBatch toWriteBatch() {
        for (int i = 0; i < Integer.BYTES; i++) {
            bytes[8 + i] = (byte) (count >>> (8 * i));
        }
        return new WriteBatch(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
    }

    private void putVarint(int value) {
        while ((value & ~0x7f) != 0) {
            bytes[size++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        }
    }
}
