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
        private byte[] bytes = new byte[4096];
        private int length = Byte.BYTES + Integer.BYTES;
        private int count;

        void add(UserEvent event) throws SQLException {
            text(event.getUserId());
            text(event.getId());
            text(event.getName());
            room(Long.BYTES);
            ByteBuffer.wrap(bytes, length, Long.BYTES).putLong(event.getTime());
            length += Long.BYTES;
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
            ByteBuffer.wrap(bytes, 0, Byte.BYTES + Integer.BYTES).put(VERSION).putInt(count);
            return Arrays.copyOf(bytes, length);
        }

        private void text(String text) {
            if (text == null) {
                room(Integer.BYTES);
                ByteBuffer.wrap(bytes, length, Integer.BYTES).putInt(-1);
                length += Integer.BYTES;
                return;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            room(Integer.BYTES + utf8.length);
            ByteBuffer.wrap(bytes, length, Integer.BYTES).putInt(utf8.length);
            length += Integer.BYTES;
            System.arraycopy(utf8, 0, bytes, length, utf8.length);
            length += utf8.length;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
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
