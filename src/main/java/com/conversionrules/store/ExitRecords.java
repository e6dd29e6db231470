package com.conversionrules.store;

import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.RuleRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for the exits table, the sender's outbox; each exit's deliveries are in {@link DeliveryRecords}. */
public final class ExitRecords {
    /** How many columns {@link #COLUMNS} selects; a query may add its own after them. */
    static final int COLUMN_COUNT = 13;
    static final String COLUMNS = """
            e.seq, e.id, e.campaign_id, e.user_id, e.reason, e.conversion_event, e.event_id, e.value, e.rule,
            e.rule_file, e.rules_version, e.exited_at, e.holdout""";

    /** An exit with where its delivery to each sender endpoint stands. */
    public record Stored(Exit exit, List<DeliveryRecords.Delivery> deliveries) {
    }

    private ExitRecords() {
    }

    public static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("""
                INSERT INTO exits (id, campaign_id, user_id, reason, conversion_event, event_id, value, rule, rule_file,
                rules_version, exited_at, holdout)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    }

    /** Stores an exit; a trigger adds its deliveries to the configured endpoints in the same transaction. */
    public static void insert(PreparedStatement insert, Exit exit) throws SQLException {
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
        insert.setInt(12, exit.holdout() ? 1 : 0);
        insert.executeUpdate();
    }

    /** Exits in feed order after the cursor {@code after} (a seq), with their deliveries. */
    public static List<Stored> page(Connection connection, long after, int limit) throws SQLException {
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
        Map<String, List<DeliveryRecords.Delivery>> deliveries = DeliveryRecords.forSeqRange(connection, after,
                exits.get(exits.size() - 1).seq());
        return exits.stream().map(exit -> new Stored(exit, deliveries.getOrDefault(exit.id(), List.of()))).toList();
    }

    public static Optional<Stored> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM exits e WHERE e.id = ?")) {
            select.setString(1, id);
            List<Exit> exits = list(select);
            if (exits.isEmpty()) {
                return Optional.empty();
            }
            Exit exit = exits.get(0);
            return Optional.of(new Stored(exit, DeliveryRecords.forSeqRange(connection, exit.seq() - 1, exit.seq())
                    .getOrDefault(exit.id(), List.of())));
        }
    }

    /** Reads an exit from the first {@link #COLUMN_COUNT} columns of a row selected with {@link #COLUMNS}. */
    static Exit exit(ResultSet rows) throws SQLException {
        String ruleName = rows.getString(9);
        RuleRef rule = ruleName == null ? null : new RuleRef(ruleName, rows.getString(10), rows.getString(11));
        return new Exit(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                ExitReason.fromWire(rows.getString(5)), rows.getString(6), rows.getString(7),
                rows.getDouble(8), rule, rows.getLong(12), rows.getInt(13) == 1);
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
