package com.conversionrules.store;

import com.conversionrules.model.Enrollment;
import com.conversionrules.model.ExitReason;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
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

    static void insert(PreparedStatement insert, Enrollment enrollment, boolean holdout) throws SQLException {
        insert.setString(1, enrollment.getCampaignId());
        insert.setString(2, enrollment.getUserId());
        insert.setLong(3, enrollment.getEnrolledAt());
        insert.setInt(4, holdout ? 1 : 0);
        insert.executeUpdate();
    }

    static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("INSERT INTO enrollments (campaign_id, user_id, enrolled_at, status, holdout) "
                + "VALUES (?, ?, ?, 'active', ?)");
    }

    /** For {@link #latest}: one probe of the (campaign, user) index and one of the exits' id. */
    static PreparedStatement prepareLatest(Connection connection) throws SQLException {
        return connection.prepareStatement("""
                SELECT n.enrolled_at, x.exited_at FROM enrollments n INDEXED BY enrollments_by_user
                LEFT JOIN exits x ON x.id = n.exit_id
                WHERE n.campaign_id = ? AND n.user_id = ? ORDER BY n.seq DESC LIMIT 1""");
    }

    /** The user's latest enrollment in the campaign as the store has it, if any. */
    static Optional<EnrollmentIndex.Latest> latest(PreparedStatement latest, String campaignId, String userId)
            throws SQLException {
        latest.setString(1, campaignId);
        latest.setString(2, userId);
        try (ResultSet rows = latest.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            long enrolledAt = rows.getLong(1);
            long leftAt = rows.getLong(2);
            return Optional.of(new EnrollmentIndex.Latest(enrolledAt, rows.wasNull() ? null : leftAt));
        }
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
            // Read as bytes: the driver's getString makes five objects per value (a direct buffer, a
            // lambda, two arrays and the String), a third of what a restart allocated. One String per
            // campaign id, not one per row: a million enrollments share a few dozen.
            Map<String, String> campaignIds = new HashMap<>();
            byte[] campaignBytes = null;
            String campaignId = null;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    byte[] campaign = rows.getBytes(1);
                    if (!Arrays.equals(campaign, campaignBytes)) {
                        campaignBytes = campaign;
                        String read = new String(campaign, StandardCharsets.UTF_8);
                        campaignId = campaignIds.computeIfAbsent(read, id -> id);
                    }
                    String userId = new String(rows.getBytes(2), StandardCharsets.UTF_8);
                    consumer.accept(new Enrollment(campaignId, userId, rows.getLong(3)));
                }
            }
        }
    }

    static Optional<EnrollmentState> current(Connection connection, String campaignId, String userId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT status, enrolled_at, exit_id, holdout FROM enrollments INDEXED BY enrollments_by_user
                WHERE campaign_id = ? AND user_id = ? ORDER BY seq DESC LIMIT 1""")) {
            select.setString(1, campaignId);
            select.setString(2, userId);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new EnrollmentState(campaignId, userId, rows.getString(1), rows.getLong(2),
                        rows.getString(3), rows.getInt(4) == 1));
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
        return report(connection, campaignId).totals();
    }

    static CampaignReport report(Connection connection, String campaignId) throws SQLException {
        CampaignReport.Group treatment = CampaignReport.Group.NONE;
        CampaignReport.Group holdout = CampaignReport.Group.NONE;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status, holdout, count(*) FROM enrollments WHERE campaign_id = ? GROUP BY status, holdout")) {
            select.setString(1, campaignId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (rows.getInt(2) == 1) {
                        holdout = holdout.plus(rows.getString(1), rows.getLong(3));
                    } else {
                        treatment = treatment.plus(rows.getString(1), rows.getLong(3));
                    }
                }
            }
        }
        List<CampaignReport.EventConversions> byEvent = new ArrayList<>();
        double revenue = 0;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT conversion_event, count(*), coalesce(sum(value), 0) FROM exits
                WHERE campaign_id = ? AND reason = 'converted' GROUP BY conversion_event ORDER BY conversion_event""")) {
            select.setString(1, campaignId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    CampaignReport.EventConversions counts = new CampaignReport.EventConversions(rows.getString(1),
                            rows.getLong(2), rows.getDouble(3));
                    revenue += counts.revenue();
                    byEvent.add(counts);
                }
            }
        }
        return new CampaignReport(new CampaignStats(treatment.enrolled() + holdout.enrolled(),
                treatment.active() + holdout.active(), treatment.converted() + holdout.converted(), revenue),
                treatment, holdout, byEvent);
    }
}
