package com.conversionrules.bench.storage;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A hand-written log: records ({@code length, CRC32C, payload}) appended to 64 MiB segments, one
 * write and one fdatasync per group commit. When a segment fills, two files are written beside it:
 * its performed index (hash(user, name) and time, sorted, 16 bytes an event, binary-searched
 * through a memory map) and its dedupe fingerprints with their receive times (16 bytes an event).
 * The segment being written keeps both in memory and is scanned at restart, cutting a torn tail at
 * the first bad CRC. Enrollment changes are records in the same log, folded at restart.
 */
final class SegmentLog implements Candidate {
    private static final long SEGMENT_BYTES = 64L << 20;
    private static final int HEADER = 8;

    private final Path dir;
    private final List<Sealed> sealed = new ArrayList<>();
    private final LongOpenHashSet dedupe = new LongOpenHashSet();
    private final Records out = Records.writer();
    private ByteBuffer pending = ByteBuffer.allocateDirect(8 << 20);
    private final CRC32C crc = new CRC32C();
    /** The open segment's performed entries and fingerprints, indexed when it is sealed. */
    private final Long2ObjectOpenHashMap<LongArrayList> openPerformed = new Long2ObjectOpenHashMap<>();
    private final LongArrayList openKeys = new LongArrayList();
    private final LongArrayList openReceived = new LongArrayList();
    private FileChannel segment;
    private int segmentNumber;
    private long segmentSize;

    /** A full segment with its index files mapped. */
    private record Sealed(Path log, MappedByteBuffer performed, Path keys) {
    }

    SegmentLog(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir.resolve("log"));
        List<Path> logs;
        try (Stream<Path> files = Files.list(this.dir)) {
            logs = files.filter(file -> file.toString().endsWith(".log")).sorted().toList();
        }
        for (int i = 0; i < logs.size() - 1; i++) {
            sealed.add(map(logs.get(i)));
        }
        if (logs.isEmpty()) {
            openSegment(1);
        } else {
            Path last = logs.get(logs.size() - 1);
            segmentNumber = number(last);
            segment = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE);
            segmentSize = recoverOpenSegment(last);
            segment.truncate(segmentSize);
            segment.position(segmentSize);
        }
    }

    @Override
    public boolean duplicate(StoredEvent event) {
        return !dedupe.add(event.fingerprint());
    }

    @Override
    public void write(ShardBatch batch) throws IOException {
        for (StoredEvent event : batch.events()) {
            append(Records.encodeEvent(out.start(), event));
            openPerformed.computeIfAbsent(event.performedKey(), key -> new LongArrayList(2)).add(event.time());
            openKeys.add(event.fingerprint());
            openReceived.add(event.receivedAt());
        }
        for (StoredExit exit : batch.exits()) {
            append(Records.encodeExit(out.start(), exit));
        }
    }

    private void append(Records record) throws IOException {
        ByteBuffer payload = record.buffer();
        int length = payload.position();
        if (pending.remaining() < length + HEADER) {
            if (pending.position() > 0) {
                flushPending(); // a commit bigger than the buffer: written in parts, synced once at commit
            }
            if (pending.capacity() < length + HEADER) {
                pending = ByteBuffer.allocateDirect(length + HEADER);
            }
        }
        crc.reset();
        crc.update(payload.array(), 0, length);
        pending.putInt(length).putInt((int) crc.getValue()).put(payload.array(), 0, length);
    }

    private void flushPending() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) {
            segmentSize += segment.write(pending);
        }
        pending.clear();
    }

    @Override
    public void commit() throws IOException {
        flushPending();
        segment.force(false);
        if (segmentSize >= SEGMENT_BYTES) {
            seal();
        }
    }

    @Override
    public void enroll(List<StoredEnrollment> chunk) throws IOException {
        for (StoredEnrollment enrollment : chunk) {
            append(out.start().put(Records.ENROLLED).put(enrollment.enrolledAt())
                    .put(enrollment.campaignId()).put(enrollment.userId()));
        }
        commit();
    }

    @Override
    public void catchUp() {
        // Indexes are written when a segment is sealed, on the writer thread: nothing is deferred.
    }

    @Override
    public long rebuildDedupe(long since) throws IOException {
        for (Sealed full : sealed) {
            ByteBuffer keys = ByteBuffer.wrap(Files.readAllBytes(full.keys()));
            while (keys.hasRemaining()) {
                long fingerprint = keys.getLong();
                if (keys.getLong() >= since) {
                    dedupe.add(fingerprint);
                }
            }
        }
        for (int i = 0; i < openKeys.size(); i++) {
            if (openReceived.getLong(i) >= since) {
                dedupe.add(openKeys.getLong(i));
            }
        }
        return dedupe.size();
    }

    /** Folds the enrollment records of every segment, skipping other records by their length. */
    @Override
    public void readActive(Consumer<StoredEnrollment> consumer) throws IOException {
        Map<String, StoredEnrollment> active = new HashMap<>();
        Map<String, String> campaignIds = new HashMap<>();
        List<Path> logs = new ArrayList<>(sealed.stream().map(Sealed::log).toList());
        logs.add(segmentPath(segmentNumber));
        for (Path log : logs) {
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
                long size = log.equals(segmentPath(segmentNumber)) ? segmentSize : channel.size();
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
                byte[] record = new byte[512];
                while (map.remaining() >= HEADER) {
                    int length = map.getInt();
                    map.getInt(); // CRC: checked when the open segment is recovered
                    byte type = map.get(map.position());
                    if (type == Records.ENROLLED || type == Records.EXIT) {
                        if (record.length < length) {
                            record = new byte[length];
                        }
                        map.get(record, 0, length);
                        ByteBuffer in = ByteBuffer.wrap(record, 0, length);
                        in.get();
                        if (type == Records.ENROLLED) {
                            long enrolledAt = in.getLong();
                            String campaignId = campaignIds.computeIfAbsent(Records.string(in), id -> id);
                            String userId = Records.string(in);
                            active.put(campaignId + '\u0000' + userId, new StoredEnrollment(campaignId, userId, enrolledAt));
                        } else {
                            in.position(in.position() + 16);
                            Records.skipString(in); // exit id
                            String campaignId = Records.string(in);
                            active.remove(campaignId + '\u0000' + Records.string(in));
                        }
                    } else {
                        map.position(map.position() + length);
                    }
                }
            }
        }
        active.values().forEach(consumer);
    }

    @Override
    public Performed performed(String userId, String name, long since) {
        long key = Fingerprints.of(userId, name);
        long count = 0;
        long last = -1;
        for (Sealed full : sealed) {
            ByteBuffer index = full.performed();
            int entries = index.capacity() / 16;
            int low = 0;
            int high = entries;
            while (low < high) { // first entry >= (key, since)
                int middle = (low + high) >>> 1;
                long middleKey = index.getLong(middle * 16);
                if (middleKey < key || middleKey == key && index.getLong(middle * 16 + 8) < since) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            for (int i = low; i < entries && index.getLong(i * 16) == key; i++) {
                count++;
                last = Math.max(last, index.getLong(i * 16 + 8));
            }
        }
        LongArrayList times = openPerformed.get(key);
        if (times != null) {
            for (int i = 0; i < times.size(); i++) {
                long time = times.getLong(i);
                if (time >= since) {
                    count++;
                    last = Math.max(last, time);
                }
            }
        }
        return count == 0 ? Performed.NONE : new Performed(count, last);
    }

    /** Writes the full segment's index files (synced: they stand in for the segment at restart), opens the next. */
    private void seal() throws IOException {
        long entries = 0;
        for (LongArrayList times : openPerformed.values()) {
            entries += times.size();
        }
        long[] sorted = new long[(int) entries * 2];
        int at = 0;
        long[] keys = openPerformed.keySet().toLongArray();
        java.util.Arrays.sort(keys);
        for (long key : keys) {
            long[] times = openPerformed.get(key).toLongArray();
            java.util.Arrays.sort(times);
            for (long time : times) {
                sorted[at++] = key;
                sorted[at++] = time;
            }
        }
        ByteBuffer index = ByteBuffer.allocate(sorted.length * 8);
        index.asLongBuffer().put(sorted);
        write(indexPath(segmentNumber), index);
        ByteBuffer fingerprints = ByteBuffer.allocate(openKeys.size() * 16);
        for (int i = 0; i < openKeys.size(); i++) {
            fingerprints.putLong(openKeys.getLong(i)).putLong(openReceived.getLong(i));
        }
        fingerprints.flip();
        write(keysPath(segmentNumber), fingerprints);
        segment.close();
        sealed.add(map(segmentPath(segmentNumber)));
        openPerformed.clear();
        openKeys.clear();
        openReceived.clear();
        openSegment(segmentNumber + 1);
    }

    private static void write(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
    }

    private void openSegment(int number) throws IOException {
        segmentNumber = number;
        segment = FileChannel.open(segmentPath(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentSize = 0;
    }

    private Sealed map(Path log) throws IOException {
        int number = number(log);
        try (FileChannel index = FileChannel.open(indexPath(number), StandardOpenOption.READ)) {
            return new Sealed(log, index.map(FileChannel.MapMode.READ_ONLY, 0, index.size()), keysPath(number));
        }
    }

    /** Scans the open segment: rebuilds its in-memory index, returns where the valid records end. */
    private long recoverOpenSegment(Path log) throws IOException {
        long size = Files.size(log);
        MappedByteBuffer map = segment.map(FileChannel.MapMode.READ_ONLY, 0, size);
        long valid = 0;
        byte[] record = new byte[512];
        while (map.remaining() >= HEADER) {
            int length = map.getInt();
            int expected = map.getInt();
            if (length <= 0 || length > map.remaining()) {
                break;
            }
            if (record.length < length) {
                record = new byte[length];
            }
            map.get(record, 0, length);
            crc.reset();
            crc.update(record, 0, length);
            if ((int) crc.getValue() != expected) {
                break;
            }
            valid = map.position();
            ByteBuffer in = ByteBuffer.wrap(record, 0, length);
            if (in.get() == Records.EVENT) {
                long fingerprint = in.getLong();
                long time = in.getLong();
                long receivedAt = in.getLong();
                String userId = Records.string(in);
                Records.skipString(in);
                String name = Records.string(in);
                openPerformed.computeIfAbsent(Fingerprints.of(userId, name), key -> new LongArrayList(2)).add(time);
                openKeys.add(fingerprint);
                openReceived.add(receivedAt);
            }
        }
        return valid;
    }

    private Path segmentPath(int number) {
        return dir.resolve(String.format("%08d.log", number));
    }

    private Path indexPath(int number) {
        return dir.resolve(String.format("%08d.performed", number));
    }

    private Path keysPath(int number) {
        return dir.resolve(String.format("%08d.keys", number));
    }

    private static int number(Path log) {
        String name = log.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    @Override
    public void close() throws IOException {
        flushPending();
        segment.force(false);
        segment.close();
    }
}
