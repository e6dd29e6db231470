package com.conversionrules.store;

import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.RuleRef;
import com.conversionrules.model.UserEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for the exits table, the sender's outbox; each exit's deliveries are in {@link DeliveryRecords}. */
final class ExitRecords {
    /** How many columns {@link #COLUMNS} selects; a query may add its own after them. */
    static final int COLUMN_COUNT = 13;
    static final String COLUMNS = """
            e.seq, e.id, e.campaign_id, e.user_id, e.reason, e.conversion_event, e.event_id, e.value, e.rule,
            e.rule_file, e.rules_version, e.exited_at, e.holdout""";

    /** The exit columns, then the name and time of the event that caused it, kept with the exit. */
    static final String EXPLAINED_COLUMNS = COLUMNS + ", e.event_name, e.event_time";

    private ExitRecords() {
    }

    static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("""
                INSERT INTO exits (id, campaign_id, user_id, reason, conversion_event, event_id, value, rule, rule_file,
                rules_version, exited_at, event_name, event_time, holdout, topic_partition, topic_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    }

    /**
     * Stores an exit with the name and time of the event that caused it (null when none did), and
     * where it was read on the exits topic (null when this store's engine made it).
     */
    static void insert(PreparedStatement insert, Exit exit, UserEvent cause, LogPosition position)
            throws SQLException {
        insert.setString(1, exit.id());
        insert.setString(2, exit.campaignId());
        insert.setString(3, exit.userId());
        insert.setString(4, exit.reason().wire());
        setNullableString(insert, 5, exit.conversionEvent());
        setNullableString(insert, 6, exit.eventId());
        insert.setDouble(7, exit.value());
        RuleRef rule = exit.rule();
        setNullableString(insert, 8, rule == null ? null : rule.name());
        setNullableString(insert, 9, rule == null ? null : rule.file());
        setNullableString(insert, 10, rule == null ? null : rule.rulesVersion());
        insert.setLong(11, exit.exitedAt());
        setNullableString(insert, 12, cause == null ? null : cause.getName());
        if (cause == null) {
            insert.setNull(13, Types.INTEGER);
        } else {
            insert.setLong(13, cause.getTime());
        }
        insert.setInt(14, exit.holdout() ? 1 : 0);
        if (position == null) {
            insert.setNull(15, Types.INTEGER);
            insert.setNull(16, Types.INTEGER);
        } else {
            insert.setInt(15, position.partition());
            insert.setLong(16, position.offset());
        }
        insert.executeUpdate();
    }

    /** Exits in feed order after the cursor {@code after} (a seq), with their deliveries. */
    static List<StoredExit> page(Connection connection, long after, int limit) throws SQLException {
        List<Exit> exits;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM exits e WHERE e.seq > ? ORDER BY e.seq LIMIT ?")) {
            select.setLong(1, after);
            select.setInt(2, limit);
            exits = list(select);
        }
        if (exits.isEmpty()) {
            return List.of();
        }
        Map<String, List<DeliveryState>> deliveries = DeliveryRecords.forSeqRange(connection, after,
                exits.get(exits.size() - 1).seq());
        return exits.stream().map(exit -> new StoredExit(exit, deliveries.getOrDefault(exit.id(), List.of()))).toList();
    }

    static Optional<StoredExit> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM exits e WHERE e.id = ?")) {
            select.setString(1, id);
            List<Exit> exits = list(select);
            if (exits.isEmpty()) {
                return Optional.empty();
            }
            Exit exit = exits.get(0);
            return Optional.of(new StoredExit(exit, DeliveryRecords.forSeqRange(connection, exit.seq() - 1, exit.seq())
                    .getOrDefault(exit.id(), List.of())));
        }
    }

    static final String LATEST_OF = "SELECT " + EXPLAINED_COLUMNS
            + " FROM exits e INDEXED BY exits_by_campaign_time"
            + " WHERE e.campaign_id = ? AND e.reason = ? ORDER BY e.exited_at DESC, e.seq DESC LIMIT ?";
    static final String CONVERSIONS_OVER_TIME = """
            SELECT (exited_at - ?) / ?, count(*) FROM exits INDEXED BY exits_by_campaign_time
            WHERE campaign_id = ? AND reason = 'converted' AND exited_at >= ? AND exited_at < ?
            GROUP BY 1""";

    /**
     * A campaign's latest exits, newest first. One index range per exit reason, each already in time
     * order, so a campaign with millions of exits costs no more than one with a few.
     */
    static List<ExplainedExit> latestOf(Connection connection, String campaignId, int limit) throws SQLException {
        List<ExplainedExit> latest = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(LATEST_OF)) {
            for (ExitReason reason : ExitReason.values()) {
                select.setString(1, campaignId);
                select.setString(2, reason.wire());
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        latest.add(explained(rows, 0, List.of()));
                    }
                }
            }
        }
        latest.sort(Comparator.comparingLong((ExplainedExit explained) -> explained.stored().exit().exitedAt())
                .thenComparingLong(explained -> explained.stored().exit().seq()).reversed());
        return withDeliveries(connection, latest.subList(0, Math.min(limit, latest.size())));
    }

    /**
     * How many users converted out of a campaign in each of {@code buckets} consecutive periods of
     * {@code bucketMillis} starting at {@code from}, by the time each exit was decided.
     */
    static long[] conversionsOverTime(Connection connection, String campaignId, long from, long bucketMillis,
                                             int buckets) throws SQLException {
        long[] counts = new long[buckets];
        try (PreparedStatement select = connection.prepareStatement(CONVERSIONS_OVER_TIME)) {
            select.setLong(1, from);
            select.setLong(2, bucketMillis);
            select.setString(3, campaignId);
            select.setLong(4, from);
            select.setLong(5, from + bucketMillis * buckets);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts[rows.getInt(1)] = rows.getLong(2);
                }
            }
        }
        return counts;
    }

    /**
     * Reads an exit and its cause from a row selected with {@link #EXPLAINED_COLUMNS}, which start after
     * {@code offset} columns of the query's own.
     */
    static ExplainedExit explained(ResultSet rows, int offset, List<DeliveryState> deliveries)
            throws SQLException {
        Exit exit = exit(rows, offset);
        long eventTime = rows.getLong(offset + COLUMN_COUNT + 2);
        Long time = rows.wasNull() ? null : eventTime;
        return new ExplainedExit(new StoredExit(exit, deliveries), rows.getString(offset + COLUMN_COUNT + 1), time);
    }

    /** The same exits with their deliveries read, in one query. */
    static List<ExplainedExit> withDeliveries(Connection connection, List<ExplainedExit> exits) throws SQLException {
        Map<String, List<DeliveryState>> deliveries = DeliveryRecords.forExits(connection,
                exits.stream().map(explained -> explained.stored().exit().id()).toList());
        return exits.stream().map(explained -> new ExplainedExit(new StoredExit(explained.stored().exit(),
                deliveries.getOrDefault(explained.stored().exit().id(), List.of())), explained.eventName(),
                explained.eventTime())).toList();
    }

    /** Reads an exit from the first {@link #COLUMN_COUNT} columns of a row selected with {@link #COLUMNS}. */
    static Exit exit(ResultSet rows) throws SQLException {
        return exit(rows, 0);
    }

    /** Reads an exit from the {@link #COLUMNS} that follow {@code offset} columns of the query's own. */
    static Exit exit(ResultSet rows, int offset) throws SQLException {
        String ruleName = rows.getString(offset + 9);
        RuleRef rule = ruleName == null ? null
                : new RuleRef(ruleName, rows.getString(offset + 10), rows.getString(offset + 11));
        return new Exit(rows.getLong(offset + 1), rows.getString(offset + 2), rows.getString(offset + 3),
                rows.getString(offset + 4), ExitReason.fromWire(rows.getString(offset + 5)),
                rows.getString(offset + 6), rows.getString(offset + 7), rows.getDouble(offset + 8), rule,
                rows.getLong(offset + 12), rows.getInt(offset + 13) == 1);
    }

    private static List<Exit> list(PreparedStatement select) throws SQLException {
        List<Exit> exits = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                exits.add(exit(rows));
            }
        }
        return exits;
    }

    static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
