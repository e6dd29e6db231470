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
import java.util.Optional;

/** SQL for the exits table, which is also the sender's outbox. */
public final class ExitRecords {
    private static final String COLUMNS = """
            seq, id, campaign_id, user_id, reason, conversion_event, event_id, value, rule, rule_file, rules_version,
            exited_at, attempts, last_status, last_error, delivered_at""";

    /** An exit with where its delivery to the sender stands. */
    public record Stored(Exit exit, Delivery delivery) {
    }

    public record Delivery(int attempts, Integer lastStatus, String lastError, Long deliveredAt) {
    }

    private ExitRecords() {
    }

    public static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("""
                INSERT INTO exits (id, campaign_id, user_id, reason, conversion_event, event_id, value, rule, rule_file,
                rules_version, exited_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    }

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
        insert.executeUpdate();
    }

    /** Exits in feed order after the cursor {@code after} (a seq). */
    public static List<Stored> page(Connection connection, long after, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM exits WHERE seq > ? ORDER BY seq LIMIT ?")) {
            select.setLong(1, after);
            select.setInt(2, limit);
            return list(select);
        }
    }

    public static Optional<Stored> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM exits WHERE id = ?")) {
            select.setString(1, id);
            return list(select).stream().findFirst();
        }
    }

    /** Undelivered exits whose next attempt is due, oldest first. */
    public static List<Stored> due(Connection connection, long now, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM exits WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY seq LIMIT ?")) {
            select.setLong(1, now);
            select.setInt(2, limit);
            return list(select);
        }
    }

    /** The earliest time an undelivered exit is due, if any is waiting. */
    public static Optional<Long> nextDue(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT min(next_attempt_at) FROM exits WHERE delivered_at IS NULL");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            long next = rows.getLong(1);
            return rows.wasNull() ? Optional.empty() : Optional.of(next);
        }
    }

    public static void markDelivered(Connection connection, String id, int status, long at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE exits SET attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?
                WHERE id = ?""")) {
            update.setInt(1, status);
            update.setLong(2, at);
            update.setString(3, id);
            update.executeUpdate();
        }
    }

    public static void markFailed(Connection connection, String id, Integer status, String error, long nextAttemptAt)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE exits SET attempts = attempts + 1, last_status = ?, last_error = ?, next_attempt_at = ?
                WHERE id = ?""")) {
            if (status == null) {
                update.setNull(1, Types.INTEGER);
            } else {
                update.setInt(1, status);
            }
            setNullableString(update, 2, error);
            update.setLong(3, nextAttemptAt);
            update.setString(4, id);
            update.executeUpdate();
        }
    }

    private static List<Stored> list(PreparedStatement select) throws SQLException {
        List<Stored> exits = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String ruleName = rows.getString(9);
                RuleRef rule = ruleName == null ? null : new RuleRef(ruleName, rows.getString(10), rows.getString(11));
                Exit exit = new Exit(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        ExitReason.fromWire(rows.getString(5)), rows.getString(6), rows.getString(7),
                        rows.getDouble(8), rule, rows.getLong(12));
                int lastStatus = rows.getInt(14);
                Integer status = rows.wasNull() ? null : lastStatus;
                long deliveredAt = rows.getLong(16);
                Long delivered = rows.wasNull() ? null : deliveredAt;
                exits.add(new Stored(exit, new Delivery(rows.getInt(13), status, rows.getString(15), delivered)));
            }
        }
        return exits;
    }

    private static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
