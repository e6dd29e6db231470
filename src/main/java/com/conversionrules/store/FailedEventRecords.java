package com.conversionrules.store;

import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.UserEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL for the failed events (dead letters): events set aside because a rule failed on them. */
final class FailedEventRecords {
    private FailedEventRecords() {
    }

    static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("""
                INSERT INTO failed_events (user_id, event_id, name, time, campaign_id, properties, rule, rule_file,
                rules_version, reason, failed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    }

    static void insert(PreparedStatement insert, FailedEvent failed) throws SQLException {
        UserEvent event = failed.event();
        insert.setString(1, event.getUserId());
        insert.setString(2, event.getId());
        insert.setString(3, event.getName());
        insert.setLong(4, event.getTime());
        ExitRecords.setNullableString(insert, 5, event.getCampaignId());
        ExitRecords.setNullableString(insert, 6, EventRecords.propertiesJson(event));
        ExitRecords.setNullableString(insert, 7, failed.rule());
        ExitRecords.setNullableString(insert, 8, failed.ruleFile());
        ExitRecords.setNullableString(insert, 9, failed.rulesVersion());
        insert.setString(10, failed.reason());
        insert.setLong(11, failed.failedAt());
        insert.executeUpdate();
    }

    /** Failed events in the order they failed, after the cursor {@code after} (a seq). */
    static List<FailedEvent> page(Connection connection, long after, int limit) throws SQLException {
        List<FailedEvent> page = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT seq, user_id, event_id, name, time, campaign_id, properties, rule, rule_file, rules_version,
                reason, failed_at FROM failed_events WHERE seq > ? ORDER BY seq LIMIT ?""")) {
            select.setLong(1, after);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String properties = rows.getString(7);
                    UserEvent event = new UserEvent(rows.getString(3), rows.getString(2), rows.getString(4),
                            rows.getLong(5), rows.getString(6), Map.of(), properties, 0);
                    page.add(new FailedEvent(rows.getLong(1), event, rows.getString(8), rows.getString(9),
                            rows.getString(10), rows.getString(11), rows.getLong(12)));
                }
            }
        }
        return page;
    }
}
