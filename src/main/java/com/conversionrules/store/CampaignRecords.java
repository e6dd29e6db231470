package com.conversionrules.store;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Rejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** SQL for the campaigns table. */
final class CampaignRecords {
    private static final int SQLITE_CONSTRAINT = 19;

    private CampaignRecords() {
    }

    static void insert(Connection connection, Campaign campaign) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO campaigns (id, name, type, conversion_event, status, created_at, launched_at, ended_at,
                conversion_window) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            bind(insert, campaign);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() == SQLITE_CONSTRAINT) {
                throw Rejection.conflict("a campaign with id '" + campaign.id() + "' already exists; choose another id");
            }
            throw e;
        }
    }

    static void update(Connection connection, Campaign campaign) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE campaigns SET name = ?, type = ?, conversion_event = ?, status = ?, created_at = ?,
                launched_at = ?, ended_at = ?, conversion_window = ? WHERE id = ?""")) {
            update.setString(1, campaign.name());
            update.setString(2, campaign.type().wire());
            update.setString(3, campaign.conversionEvent());
            update.setString(4, campaign.status().wire());
            update.setLong(5, campaign.createdAt());
            setNullableLong(update, 6, campaign.launchedAt());
            setNullableLong(update, 7, campaign.endedAt());
            update.setString(8, window(campaign));
            update.setString(9, campaign.id());
            if (update.executeUpdate() != 1) {
                throw Rejection.notFound("no campaign with id '" + campaign.id() + "'");
            }
        }
    }

    static List<Campaign> all(Connection connection) throws SQLException {
        List<Campaign> campaigns = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, name, type, conversion_event, status, created_at, launched_at, ended_at,
                conversion_window FROM campaigns ORDER BY created_at, id""");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String window = rows.getString(9);
                campaigns.add(new Campaign(rows.getString(1), rows.getString(2), CampaignType.fromWire(rows.getString(3)),
                        rows.getString(4), window == null ? null : ConversionWindow.parse(window),
                        CampaignStatus.fromWire(rows.getString(5)), rows.getLong(6),
                        nullableLong(rows, 7), nullableLong(rows, 8)));
            }
        }
        return campaigns;
    }

    private static void bind(PreparedStatement statement, Campaign campaign) throws SQLException {
        statement.setString(1, campaign.id());
        statement.setString(2, campaign.name());
        statement.setString(3, campaign.type().wire());
        statement.setString(4, campaign.conversionEvent());
        statement.setString(5, campaign.status().wire());
        statement.setLong(6, campaign.createdAt());
        setNullableLong(statement, 7, campaign.launchedAt());
        setNullableLong(statement, 8, campaign.endedAt());
        statement.setString(9, window(campaign));
    }

    private static String window(Campaign campaign) {
        return campaign.conversionWindow() == null ? null : campaign.conversionWindow().toString();
    }

    private static void setNullableLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setLong(index, value);
        }
    }

    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }
}
