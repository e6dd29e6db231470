package com.conversionrules.store;

import com.conversionrules.model.Exit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SQL for the deliveries table: one row per exit per sender endpoint, with where it stands. */
final class DeliveryRecords {
    private DeliveryRecords() {
    }

    static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("INSERT INTO deliveries (exit_id, endpoint) VALUES (?, ?)");
    }

    /** A delivery of the exit to the endpoint, not tried yet. */
    static void insert(PreparedStatement insert, String exitId, String endpoint) throws SQLException {
        insert.setString(1, exitId);
        insert.setString(2, endpoint);
        insert.executeUpdate();
    }

    /**
     * Deliveries to {@code endpoint} never tried, after the delivery {@code afterSeq}, in the order the
     * exits happened. A sender keeps that cursor, so the rows it has in flight are not read again and again.
     */
    static List<DueDelivery> fresh(Connection connection, String endpoint, long afterSeq, int limit)
            throws SQLException {
        return select(connection, """
                d.endpoint = ? AND d.seq > ? AND d.attempts = 0 AND d.delivered_at IS NULL AND d.gave_up_at IS NULL
                ORDER BY d.seq""", endpoint, afterSeq, limit);
    }

    /** Deliveries to {@code endpoint} that failed before and are due by {@code now}, the most overdue first. */
    static List<DueDelivery> retries(Connection connection, String endpoint, long now, int limit) throws SQLException {
        return select(connection, """
                d.endpoint = ? AND d.attempts > 0 AND d.delivered_at IS NULL AND d.gave_up_at IS NULL
                AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.seq""", endpoint, now, limit);
    }

    private static List<DueDelivery> select(Connection connection, String condition, String endpoint, long bound, int limit)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ExitRecords.COLUMNS + """
                , d.endpoint, d.attempts, d.first_attempt_at, d.seq
                FROM deliveries d
                JOIN exits e ON e.id = d.exit_id
                JOIN webhook_endpoints w ON w.name = d.endpoint
                WHERE w.configured = 1 AND w.disabled_at IS NULL""" + " AND " + condition + " LIMIT ?")) {
            select.setString(1, endpoint);
            select.setLong(2, bound);
            select.setInt(3, limit);
            List<DueDelivery> due = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int after = ExitRecords.COLUMN_COUNT;
                    due.add(new DueDelivery(ExitRecords.exit(rows), rows.getString(after + 1), rows.getInt(after + 2),
                            nullableLong(rows, after + 3), rows.getLong(after + 4)));
                }
            }
            return due;
        }
    }

    /** The deliveries of the exits with {@code after < seq <= last}, by exit id. */
    static Map<String, List<DeliveryState>> forSeqRange(Connection connection, long after, long last) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(DELIVERY_COLUMNS + """
                FROM exits e
                JOIN deliveries d ON d.exit_id = e.id
                LEFT JOIN webhook_endpoints w ON w.name = d.endpoint
                WHERE e.seq > ? AND e.seq <= ?
                ORDER BY d.endpoint""")) {
            select.setLong(1, after);
            select.setLong(2, last);
            return byExit(select);
        }
    }

    /** The deliveries of the given exits, by exit id. */
    static Map<String, List<DeliveryState>> forExits(Connection connection, List<String> exitIds) throws SQLException {
        if (exitIds.isEmpty()) {
            return Map.of();
        }
        String placeholders = String.join(", ", Collections.nCopies(exitIds.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement(DELIVERY_COLUMNS + """
                FROM deliveries d
                LEFT JOIN webhook_endpoints w ON w.name = d.endpoint
                WHERE d.exit_id IN (""" + placeholders + ") ORDER BY d.endpoint")) {
            for (int i = 0; i < exitIds.size(); i++) {
                select.setString(i + 1, exitIds.get(i));
            }
            return byExit(select);
        }
    }

    private static final String DELIVERY_COLUMNS = """
            SELECT d.exit_id, d.endpoint, d.attempts, d.first_attempt_at, d.next_attempt_at, d.last_status,
                   d.last_error, d.delivered_at, d.gave_up_at, w.configured, w.disabled_at
            """;

    private static Map<String, List<DeliveryState>> byExit(PreparedStatement select) throws SQLException {
        Map<String, List<DeliveryState>> byExit = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                DeliveryState delivery = new DeliveryState(rows.getString(2), rows.getInt(3), nullableLong(rows, 4),
                        rows.getLong(5), nullableInt(rows, 6), rows.getString(7), nullableLong(rows, 8),
                        nullableLong(rows, 9), rows.getInt(10) == 1, nullableLong(rows, 11));
                byExit.computeIfAbsent(rows.getString(1), id -> new ArrayList<>()).add(delivery);
            }
        }
        return byExit;
    }

    static final String WAITING = """
            SELECT endpoint, count(*) FROM deliveries INDEXED BY deliveries_due
            WHERE delivered_at IS NULL AND gave_up_at IS NULL GROUP BY endpoint""";
    static final String GIVEN_UP = """
            SELECT endpoint, count(*) FROM deliveries INDEXED BY deliveries_given_up
            WHERE gave_up_at IS NOT NULL GROUP BY endpoint""";

    /**
     * Per endpoint: deliveries still waiting (to be tried, retried, or held by a disabled endpoint)
     * and deliveries given up. Both read partial indexes that hold only such rows, so the count costs
     * the backlog, not the history.
     */
    static Map<String, Backlog> backlog(Connection connection) throws SQLException {
        Map<String, long[]> counts = new HashMap<>();
        try (PreparedStatement waiting = connection.prepareStatement(WAITING);
             ResultSet rows = waiting.executeQuery()) {
            while (rows.next()) {
                counts.computeIfAbsent(rows.getString(1), name -> new long[2])[0] = rows.getLong(2);
            }
        }
        try (PreparedStatement failed = connection.prepareStatement(GIVEN_UP);
             ResultSet rows = failed.executeQuery()) {
            while (rows.next()) {
                counts.computeIfAbsent(rows.getString(1), name -> new long[2])[1] = rows.getLong(2);
            }
        }
        Map<String, Backlog> backlog = new HashMap<>();
        counts.forEach((endpoint, count) -> backlog.put(endpoint, new Backlog(count[0], count[1])));
        return backlog;
    }

    /** Writes a batch of attempts' results, each statement prepared once for the batch. */
    static void record(Connection connection, List<DeliveryResult> results) throws SQLException {
        try (Results statements = new Results(connection)) {
            for (DeliveryResult result : results) {
                if (result.delivered()) {
                    statements.delivered(result.delivery(), result.status(), result.at());
                    continue;
                }
                statements.failed(result.delivery(), result.status(), result.failure(), result.at(),
                        result.nextAttemptAt(), result.givingUp());
                if (result.gone()) {
                    EndpointRecords.disable(connection, result.endpoint(), "answered 410 Gone to exit "
                            + result.exitId(), result.at());
                }
            }
        }
    }

    /** Records delivery attempts, each to its delivery row ({@link DueDelivery#seq()}); close it when the batch is written. */
    private static final class Results implements AutoCloseable {
        private final Connection connection;
        private PreparedStatement delivered;
        private PreparedStatement failed;

        private Results(Connection connection) {
            this.connection = connection;
        }

        void delivered(long delivery, int status, long at) throws SQLException {
            if (delivered == null) {
                delivered = connection.prepareStatement("""
                        UPDATE deliveries SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?),
                            last_status = ?, last_error = NULL, delivered_at = ?
                        WHERE seq = ?""");
            }
            delivered.setLong(1, at);
            delivered.setInt(2, status);
            delivered.setLong(3, at);
            delivered.setLong(4, delivery);
            delivered.executeUpdate();
        }

        /**
         * A failed attempt: retried at {@code nextAttemptAt}, or, when {@code givingUp}, never again
         * (the exit stays on the feed as undelivered to this endpoint).
         */
        void failed(long delivery, Integer status, String error, long at, long nextAttemptAt,
                           boolean givingUp) throws SQLException {
            if (failed == null) {
                failed = connection.prepareStatement("""
                        UPDATE deliveries SET attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, ?),
                            last_status = ?, last_error = ?, next_attempt_at = ?, gave_up_at = ?
                        WHERE seq = ?""");
            }
            failed.setLong(1, at);
            if (status == null) {
                failed.setNull(2, Types.INTEGER);
            } else {
                failed.setInt(2, status);
            }
            ExitRecords.setNullableString(failed, 3, error);
            failed.setLong(4, nextAttemptAt);
            if (givingUp) {
                failed.setLong(5, at);
            } else {
                failed.setNull(5, Types.INTEGER);
            }
            failed.setLong(6, delivery);
            failed.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            if (delivered != null) {
                delivered.close();
            }
            if (failed != null) {
                failed.close();
            }
        }
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rows, int column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }
}
