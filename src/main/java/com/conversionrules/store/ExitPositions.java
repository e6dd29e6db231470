package com.conversionrules.store;

import com.conversionrules.model.Exit;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** SQL for a cluster instance's exits feed, paged by where each exit was read on the exits topic. */
final class ExitPositions {
    /** A partition's exits after an offset, in offset order: one range of a partial index only cluster exits are in. */
    static final String NEXT_OF_PARTITION = """
            SELECT seq FROM exits INDEXED BY exits_by_topic_position
            WHERE topic_partition = ? AND topic_offset > ? ORDER BY topic_offset LIMIT ?""";

    private ExitPositions() {
    }

    /**
     * The first {@code limit} exits by seq past {@code after}. Each partition's next {@code limit}
     * exits are one range of the index; the page is the lowest seqs among them, so it costs the
     * same however far the cursor is, and however differently from another instance's this store
     * interleaved the partitions.
     */
    static List<PositionedExit> page(Connection connection, long[] after, int limit) throws SQLException {
        LongArrayList seqs = new LongArrayList();
        try (PreparedStatement next = connection.prepareStatement(NEXT_OF_PARTITION)) {
            for (int partition = 0; partition < after.length; partition++) {
                next.setInt(1, partition);
                next.setLong(2, after[partition]);
                next.setInt(3, limit);
                try (ResultSet rows = next.executeQuery()) {
                    while (rows.next()) {
                        seqs.add(rows.getLong(1));
                    }
                }
            }
        }
        seqs.sort(null);
        List<Long> page = seqs.subList(0, Math.min(limit, seqs.size()));
        return page.isEmpty() ? List.of() : read(connection, page);
    }

    private static List<PositionedExit> read(Connection connection, List<Long> seqs) throws SQLException {
        List<Exit> exits = new ArrayList<>(seqs.size());
        List<LogPosition> positions = new ArrayList<>(seqs.size());
        String placeholders = String.join(", ", Collections.nCopies(seqs.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ExitRecords.COLUMNS
                + ", e.topic_partition, e.topic_offset FROM exits e WHERE e.seq IN (" + placeholders
                + ") ORDER BY e.seq")) {
            for (int i = 0; i < seqs.size(); i++) {
                select.setLong(i + 1, seqs.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    exits.add(ExitRecords.exit(rows));
                    positions.add(new LogPosition(rows.getInt(ExitRecords.COLUMN_COUNT + 1),
                            rows.getLong(ExitRecords.COLUMN_COUNT + 2)));
                }
            }
        }
        Map<String, List<DeliveryState>> deliveries = DeliveryRecords.forExits(connection,
                exits.stream().map(Exit::id).toList());
        List<PositionedExit> page = new ArrayList<>(exits.size());
        for (int i = 0; i < exits.size(); i++) {
            Exit exit = exits.get(i);
            page.add(new PositionedExit(new StoredExit(exit, deliveries.getOrDefault(exit.id(), List.of())),
                    positions.get(i)));
        }
        return page;
    }
}
