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
import java.util.Optional;
import java.util.function.Consumer;

/** SQL for the enrollments table. */
public final class EnrollmentRecords {
    public static final String ACTIVE = "active";
    public static final String CONVERTED = "converted";
    public static final String EXITED = "exited";

    /** The latest enrollment of a user in a campaign, as a sender asks for it. */
    public record Current(String campaignId, String userId, String status, long enrolledAt, String exitId,
                          boolean holdout) {
    }

    /**
     * A user's latest enrollment in a campaign, for the re-entry check: when it began, whether the
     * store still has it active, and when the user left (null while active).
     */
    public record Latest(long enrolledAt, boolean active, Long leftAt) {
    }

    /** Enrollments and conversions of one group of a campaign's users (treatment or holdout). */
    public record GroupCounts(long enrolled, long active, long converted) {
        static final GroupCounts NONE = new GroupCounts(0, 0, 0);

        GroupCounts plus(String status, long count) {
            return new GroupCounts(enrolled + count, active + (ACTIVE.equals(status) ? count : 0),
                    converted + (CONVERTED.equals(status) ? count : 0));
        }
    }

    /** Conversions credited to one conversion event, and the revenue they brought. */
    public record EventCounts(String conversionEvent, long converted, double revenue) {
    }

    /** A campaign's figures, counted from its enrollments and conversion exits. */
    public record Stats(long enrolled, long active, long converted, double revenue) {
    }

    /** A campaign's figures in total, for its treatment and holdout groups, and per conversion event. */
    public record Report(Stats totals, GroupCounts treatment, GroupCounts holdout, List<EventCounts> byConversionEvent) {
    }

    private EnrollmentRecords() {
    }

    public static void insert(PreparedStatement insert, Enrollment enrollment, boolean holdout) throws SQLException {
        insert.setString(1, enrollment.getCampaignId());
        insert.setString(2, enrollment.getUserId());
        insert.setLong(3, enrollment.getEnrolledAt());
        insert.setInt(4, holdout ? 1 : 0);
        insert.executeUpdate();
    }

    public static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("INSERT INTO enrollments (campaign_id, user_id, enrolled_at, status, holdout) "
                + "VALUES (?, ?, ?, 'active', ?)");
    }

    /** For {@link #latest}: one probe of the (campaign, user) index and one of the exits' id. */
    public static PreparedStatement prepareLatest(Connection connection) throws SQLException {
        return connection.prepareStatement("""
                SELECT n.enrolled_at, n.status, x.exited_at FROM enrollments n INDEXED BY enrollments_by_user
                LEFT JOIN exits x ON x.id = n.exit_id
                WHERE n.campaign_id = ? AND n.user_id = ? ORDER BY n.seq DESC LIMIT 1""");
    }

    /** The user's latest enrollment in the campaign as the store has it, if any. */
    public static Optional<Latest> latest(PreparedStatement latest, String campaignId, String userId)
            throws SQLException {
        latest.setString(1, campaignId);
        latest.setString(2, userId);
        try (ResultSet rows = latest.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            long enrolledAt = rows.getLong(1);
            boolean active = ACTIVE.equals(rows.getString(2));
            long leftAt = rows.getLong(3);
            return Optional.of(new Latest(enrolledAt, active, rows.wasNull() ? null : leftAt));
        }
    }

    /** Marks the user's active enrollment as left; returns false if there was none. */
    public static boolean exit(PreparedStatement update, String campaignId, String userId, ExitReason reason,
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
    public static PreparedStatement prepareExit(Connection connection) throws SQLException {
        return connection.prepareStatement(EXIT);
    }

    static final String EXIT = """
            UPDATE enrollments INDEXED BY enrollments_by_user SET status = ?, exit_id = ?
            WHERE campaign_id = ? AND user_id = ? AND status = 'active'""";

    public static void forEachActive(Connection connection, Consumer<Enrollment> consumer) throws SQLException {
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

    public static Optional<Current> current(Connection connection, String campaignId, String userId)
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
                return Optional.of(new Current(campaignId, userId, rows.getString(1), rows.getLong(2), rows.getString(3),
                        rows.getInt(4) == 1));
            }
        }
    }

    public static Stats stats(Connection connection, String campaignId) throws SQLException {
        return report(connection, campaignId).totals();
    }

    public static Report report(Connection connection, String campaignId) throws SQLException {
        GroupCounts treatment = GroupCounts.NONE;
        GroupCounts holdout = GroupCounts.NONE;
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
        List<EventCounts> byEvent = new ArrayList<>();
        double revenue = 0;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT conversion_event, count(*), coalesce(sum(value), 0) FROM exits
                WHERE campaign_id = ? AND reason = 'converted' GROUP BY conversion_event ORDER BY conversion_event""")) {
            select.setString(1, campaignId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    EventCounts counts = new EventCounts(rows.getString(1), rows.getLong(2), rows.getDouble(3));
                    revenue += counts.revenue();
                    byEvent.add(counts);
                }
            }
        }
        return new Report(new Stats(treatment.enrolled() + holdout.enrolled(), treatment.active() + holdout.active(),
                treatment.converted() + holdout.converted(), revenue), treatment, holdout, byEvent);
    }
}
