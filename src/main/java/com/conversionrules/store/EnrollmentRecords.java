package com.conversionrules.store;

import com.conversionrules.model.Enrollment;
import com.conversionrules.model.ExitReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** SQL for the enrollments table. */
final class EnrollmentRecords {
    static final String ACTIVE = EnrollmentState.ACTIVE;
    static final String CONVERTED = EnrollmentState.CONVERTED;
    static final String EXITED = EnrollmentState.EXITED;

    private EnrollmentRecords() {
    }

    static void insert(PreparedStatement insert, Enrollment enrollment) throws SQLException {
        insert.setString(1, enrollment.getCampaignId());
        insert.setString(2, enrollment.getUserId());
        insert.setLong(3, enrollment.getEnrolledAt());
        insert.executeUpdate();
    }

    static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement(
                "INSERT INTO enrollments (campaign_id, user_id, enrolled_at, status) VALUES (?, ?, ?, 'active')");
    }

    /** Marks the user's active enrollment as left; returns false if there was none. */
    static boolean exit(PreparedStatement update, String campaignId, String userId, ExitReason reason,
                               String exitId) throws SQLException {
        update.setString(1, reason == ExitReason.CONVERTED ? CONVERTED : EXITED);
        update.setString(2, exitId);
        update.setString(3, campaignId);
        update.setString(4, userId);
        return update.executeUpdate() == 1;
    }

    /**
     * Named index: left to itself SQLite may pick the (campaign_id, status) index and scan every
     * active enrollment of the campaign for each exit.
     */
    static PreparedStatement prepareExit(Connection connection) throws SQLException {
        return connection.prepareStatement(EXIT);
    }

    static final String EXIT = """
            UPDATE enrollments INDEXED BY enrollments_by_user SET status = ?, exit_id = ?
            WHERE campaign_id = ? AND user_id = ? AND status = 'active'""";

    static void forEachActive(Connection connection, Consumer<Enrollment> consumer) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT campaign_id, user_id, enrolled_at FROM enrollments WHERE status = 'active'")) {
            select.setFetchSize(10_000);
            // One String per campaign id, not one per row: a million enrollments share a few dozen.
            Map<String, String> campaignIds = new HashMap<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String campaignId = campaignIds.computeIfAbsent(rows.getString(1), id -> id);
                    consumer.accept(new Enrollment(campaignId, rows.getString(2), rows.getLong(3)));
                }
            }
        }
    }

    static Optional<EnrollmentState> current(Connection connection, String campaignId, String userId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT status, enrolled_at, exit_id FROM enrollments INDEXED BY enrollments_by_user
                WHERE campaign_id = ? AND user_id = ? ORDER BY seq DESC LIMIT 1""")) {
            select.setString(1, campaignId);
            select.setString(2, userId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new EnrollmentState(campaignId, userId, rows.getString(1), rows.getLong(2), rows.getString(3)));
            }
        }
    }

    /**
     * Every enrollment of a user, newest first, at most {@code limit}, each with its exit and the
     * event that caused it. The user index leads with the campaign, so the query looks the user up
     * once per campaign rather than scanning every enrollment.
     */
    static List<UserEnrollment> ofUser(Connection connection, String userId, int limit) throws SQLException {
        List<UserEnrollment> enrollments = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(OF_USER)) {
            select.setString(1, userId);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ExplainedExit exit = rows.getBoolean(4)
                            ? ExitRecords.explained(rows, OF_USER_EXIT_OFFSET, List.of()) : null;
                    enrollments.add(new UserEnrollment(rows.getString(1), rows.getString(2), rows.getLong(3), exit));
                }
            }
        }
        List<ExplainedExit> exits = ExitRecords.withDeliveries(connection,
                enrollments.stream().map(UserEnrollment::exit).filter(Objects::nonNull).toList());
        Map<String, ExplainedExit> byId = new HashMap<>();
        exits.forEach(exit -> byId.put(exit.stored().exit().id(), exit));
        return enrollments.stream().map(enrollment -> enrollment.exit() == null ? enrollment
                : new UserEnrollment(enrollment.campaignId(), enrollment.status(), enrollment.enrolledAt(),
                        byId.get(enrollment.exit().stored().exit().id()))).toList();
    }

    static final String OF_USER = "SELECT n.campaign_id, n.status, n.enrolled_at, e.id IS NOT NULL, "
            + ExitRecords.EXPLAINED_COLUMNS
            + " FROM enrollments n INDEXED BY enrollments_by_user"
            + " LEFT JOIN exits e ON e.id = n.exit_id"
            + " WHERE n.campaign_id IN (SELECT id FROM campaigns) AND n.user_id = ?"
            + " ORDER BY n.seq DESC LIMIT ?";
    /** The columns {@link #OF_USER} selects before the exit's. */
    private static final int OF_USER_EXIT_OFFSET = 4;

    static CampaignStats stats(Connection connection, String campaignId) throws SQLException {
        long enrolled = 0;
        long active = 0;
        long converted = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, count(*) FROM enrollments WHERE campaign_id = ? GROUP BY status")) {
            select.setString(1, campaignId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long count = rows.getLong(2);
                    enrolled += count;
                    switch (rows.getString(1)) {
                        case ACTIVE -> active = count;
                        case CONVERTED -> converted = count;
                        default -> { }
                    }
                }
            }
        }
        double revenue;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT coalesce(sum(value), 0) FROM exits WHERE campaign_id = ? AND reason = 'converted'")) {
            select.setString(1, campaignId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                revenue = rows.getDouble(1);
            }
        }
        return new CampaignStats(enrolled, active, converted, revenue);
    }
}
