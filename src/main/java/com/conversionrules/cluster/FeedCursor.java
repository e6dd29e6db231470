package com.conversionrules.cluster;

import com.conversionrules.http.Fields;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.LogPosition;
import com.conversionrules.store.PositionedExit;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A cluster's exits feed cursor: for each partition of the exits topic, the offset of the last exit
 * already read. Offsets are the same on every instance, so a cursor one instance gave is valid on
 * all. On the wire it is opaque, URL-safe base64 of: a version byte, a fingerprint of the topic's
 * name, the partition count, each partition's offset plus one as a varint (0: nothing read), and a
 * CRC32C of the rest, so a cursor cut short, edited or from another cluster is refused rather than
 * read as a place in the feed.
 */
final class FeedCursor {
    private static final byte VERSION = 1;
    private static final int CHECKSUM_BYTES = 4;
    private static final String START = "leave after out (or pass 0) to start from the first exit";

    private final int topic;
    private final long[] offsets;

    private FeedCursor(int topic, long[] offsets) {
        this.topic = topic;
        this.offsets = offsets;
    }

    /** Before the first exit of every partition. */
    static FeedCursor start(String topic, int partitions) {
        long[] offsets = new long[partitions];
        Arrays.fill(offsets, -1);
        return new FeedCursor(fingerprint(topic), offsets);
    }

    /**
     * The cursor a client passed as {@code after}: absent, empty or 0 is the start; anything this
     * cluster's feed cannot have given is refused with what to pass instead.
     */
    static FeedCursor parse(String after, String topic, int partitions) {
        if (after == null || after.isEmpty() || after.equals("0")) {
            return start(topic, partitions);
        }
        if (after.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Rejection.invalid("after=" + Fields.abbreviate(after) + " is the cursor of an embedded service; "
                    + "this instance is part of a cluster, whose exits feed takes the next of its own answers: "
                    + START);
        }
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(after));
        } catch (IllegalArgumentException e) {
            throw malformed(after);
        }
        if (bytes.remaining() < 1 + 4 + 1 + CHECKSUM_BYTES || !checksumHolds(bytes) || bytes.get() != VERSION) {
            throw malformed(after);
        }
        int fingerprint = bytes.getInt();
        long count = varint(bytes, after);
        if (fingerprint != fingerprint(topic) || count != partitions) {
            throw Rejection.invalid("after is a cursor of another cluster's exits feed (another exits topic, or "
                    + "another partition count than this cluster's " + partitions + "): pass the next of an answer "
                    + "from this cluster, or " + START);
        }
        long[] offsets = new long[partitions];
        for (int partition = 0; partition < partitions; partition++) {
            offsets[partition] = varint(bytes, after) - 1;
        }
        if (bytes.remaining() != CHECKSUM_BYTES) {
            throw malformed(after);
        }
        return new FeedCursor(fingerprint, offsets);
    }

    /** The last offset read of each partition, -1 where none was. */
    long[] offsets() {
        return offsets.clone();
    }

    /** This cursor moved past a page: each partition to the highest offset the page holds of it. */
    FeedCursor past(List<PositionedExit> page) {
        long[] next = offsets.clone();
        for (PositionedExit exit : page) {
            LogPosition position = exit.position();
            next[position.partition()] = Math.max(next[position.partition()], position.offset());
        }
        return new FeedCursor(topic, next);
    }

    /** The cursor as a client passes it: opaque and URL-safe. */
    String token() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + offsets.length * 4);
        out.write(VERSION);
        out.writeBytes(ByteBuffer.allocate(4).putInt(topic).array());
        writeVarint(out, offsets.length);
        for (long offset : offsets) {
            writeVarint(out, offset + 1);
        }
        CRC32C crc = new CRC32C();
        crc.update(out.toByteArray());
        out.writeBytes(ByteBuffer.allocate(CHECKSUM_BYTES).putInt((int) crc.getValue()).array());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    private static boolean checksumHolds(ByteBuffer bytes) {
        int end = bytes.limit() - CHECKSUM_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, end);
        return (int) crc.getValue() == bytes.getInt(end);
    }

    /** An unsigned varint of at most 63 bits, 7 bits a byte, low bits first; before the checksum. */
    private static long varint(ByteBuffer bytes, String after) {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (bytes.remaining() <= CHECKSUM_BYTES) {
                throw malformed(after);
            }
            byte next = bytes.get();
            value |= (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw malformed(after);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            out.write((int) ((rest & 0x7f) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    private static int fingerprint(String topic) {
        CRC32C crc = new CRC32C();
        crc.update(topic.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    private static Rejection malformed(String after) {
        return Rejection.invalid("after '" + Fields.abbreviate(after) + "' is not a cursor of this exits feed (cut "
                + "short or changed?): pass the next of an earlier answer exactly as it came, or " + START);
    }
}
