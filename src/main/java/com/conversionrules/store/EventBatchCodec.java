package com.conversionrules.store;

import com.conversionrules.model.UserEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The events of one shard batch as one value of the event log: the store writes a row per batch
 * instead of a row per event (eight bound columns an event cost the writer a third of its time).
 * The seqs of a batch run on from its first, so they are not written.
 *
 * <p>Layout: a version byte, the event count (int), then per event its user id, id, name, time
 * (long), campaign id and properties JSON; a text is an int length (-1 for null) and its UTF-8 bytes.
 */
final class EventBatchCodec {
    private static final byte VERSION = 1;

    private EventBatchCodec() {
    }

    /** Receives the events of a batch, in order. */
    interface EventSink {
        void event(long seq, String userId, String id, String name, long time, String campaignId, String properties)
                throws SQLException;
    }

    /** Builds one batch's value. */
    static final class Encoder {
        private ByteBuffer out = ByteBuffer.allocate(4096).put(VERSION).putInt(0);
        private int count;

        void add(UserEvent event) throws SQLException {
            text(event.getUserId());
            text(event.getId());
            text(event.getName());
            room(Long.BYTES).putLong(event.getTime());
            text(event.getCampaignId());
            text(EventRecords.propertiesJson(event));
            count++;
        }

        boolean isEmpty() {
            return count == 0;
        }

        int count() {
            return count;
        }

        byte[] toBytes() {
            out.putInt(Byte.BYTES, count);
            return Arrays.copyOf(out.array(), out.position());
        }

        private void text(String text) {
            if (text == null) {
                room(Integer.BYTES).putInt(-1);
                return;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            room(Integer.BYTES + utf8.length).putInt(utf8.length).put(utf8);
        }

        /** The buffer, grown if it has less than {@code more} bytes left. */
        private ByteBuffer room(int more) {
            if (out.remaining() < more) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
                out = grown.put(out.flip());
            }
            return out;
        }
    }

    /** Hands each event of a stored batch whose first seq is {@code firstSeq} to the sink. */
    static void decode(long firstSeq, byte[] value, EventSink sink) throws SQLException {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte version = in.get();
        if (version != VERSION) {
            throw new SQLException("an event log batch of version " + version + ": written by a newer version of the "
                    + "service; run that version on this data directory");
        }
        int count = in.getInt();
        for (int i = 0; i < count; i++) {
            String userId = text(in);
            String id = text(in);
            String name = text(in);
            long time = in.getLong();
            sink.event(firstSeq + i, userId, id, name, time, text(in), text(in));
        }
    }

    private static String text(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }
}
