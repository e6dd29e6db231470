package com.conversionrules.bench.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The binary form of events, exits and enrollment changes in RocksDB values and log records:
 * fixed-width numbers, then strings as a 2-byte length and UTF-8 (-1 for null). Written into one
 * reused buffer, so encoding allocates nothing but the bytes it hands out.
 */
final class Records {
    static final byte EVENT = 1;
    static final byte EXIT = 2;
    static final byte ENROLLED = 3;

    private ByteBuffer buffer = ByteBuffer.allocate(4096);

    private Records() {
    }

    static Records writer() {
        return new Records();
    }

    Records start() {
        buffer.clear();
        return this;
    }

    Records put(byte value) {
        ensure(1);
        buffer.put(value);
        return this;
    }

    Records put(long value) {
        ensure(Long.BYTES);
        buffer.putLong(value);
        return this;
    }

    Records put(double value) {
        ensure(Double.BYTES);
        buffer.putDouble(value);
        return this;
    }

    Records put(String value) {
        if (value == null) {
            buffer.putShort((short) -1);
            return this;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length + Short.BYTES);
        buffer.putShort((short) bytes.length).put(bytes);
        return this;
    }

    private void ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    /** Appends a length-prefixed record: one of several in a batch. */
    Records put(byte[] record, int length) {
        ensure(Integer.BYTES + length);
        buffer.putInt(length).put(record, 0, length);
        return this;
    }

    /** The bytes written since {@link #start()}. */
    byte[] bytes() {
        byte[] bytes = new byte[buffer.position()];
        System.arraycopy(buffer.array(), 0, bytes, 0, bytes.length);
        return bytes;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    static byte[] event(Records out, StoredEvent event) {
        return encodeEvent(out.start(), event).bytes();
    }

    static Records encodeEvent(Records out, StoredEvent event) {
        return out.put(EVENT).put(event.fingerprint()).put(event.time()).put(event.receivedAt())
                .put(event.userId()).put(event.eventId()).put(event.name()).put(event.campaignId()).put(event.properties());
    }

    static Records encodeExit(Records out, StoredExit exit) {
        return out.put(EXIT).put(exit.exitedAt()).put(exit.value()).put(exit.id()).put(exit.campaignId()).put(exit.userId())
                .put(exit.reason()).put(exit.conversionEvent()).put(exit.eventId()).put(exit.rule()).put(exit.ruleFile())
                .put(exit.rulesVersion());
    }

    static String string(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            return null;
        }
        String value = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    static void skipString(ByteBuffer in) {
        short length = in.getShort();
        if (length > 0) {
            in.position(in.position() + length);
        }
    }

    static byte[] longKey(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }
}
