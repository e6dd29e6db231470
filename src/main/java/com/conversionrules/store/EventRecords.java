package com.conversionrules.store;

import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/** SQL for the events table: dedupe of event ids and the history behind performed-event queries. */
final class EventRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventRecords() {
    }

    static PreparedStatement prepareInsert(Connection connection) throws SQLException {
        return connection.prepareStatement("""
                INSERT INTO events (user_id, id, name, time, campaign_id, properties, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""");
    }

    static void insert(PreparedStatement insert, UserEvent event, long receivedAt) throws SQLException {
        insert.setString(1, event.getUserId());
        insert.setString(2, event.getId());
        insert.setString(3, event.getName());
        insert.setLong(4, event.getTime());
        if (event.getCampaignId() == null) {
            insert.setNull(5, Types.VARCHAR);
        } else {
            insert.setString(5, event.getCampaignId());
        }
        String properties = propertiesJson(event);
        if (properties == null) {
            insert.setNull(6, Types.VARCHAR);
        } else {
            insert.setString(6, properties);
        }
        insert.setLong(7, receivedAt);
        insert.executeUpdate();
    }

    /** Every event id received since {@code since}; a scan of the table, for start-up and recovery only. */
    static void forEachIdSince(Connection connection, long since, EngineStore.EventIdSink sink) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT user_id, id, received_at FROM events WHERE received_at >= ?")) {
            select.setLong(1, since);
            select.setFetchSize(10_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sink.seen(rows.getString(1), rows.getString(2), rows.getLong(3));
                }
            }
        }
    }

    static PreparedStatement prepareExists(Connection connection) throws SQLException {
        return connection.prepareStatement("SELECT 1 FROM events WHERE user_id = ? AND id = ?");
    }

    static boolean exists(PreparedStatement exists, String userId, String id) throws SQLException {
        exists.setString(1, userId);
        exists.setString(2, id);
        try (ResultSet rows = exists.executeQuery()) {
            return rows.next();
        }
    }

    static Performed performed(Connection connection, String userId, String name, long since)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT count(*), max(time) FROM events WHERE user_id = ? AND name = ? AND time >= ?")) {
            select.setString(1, userId);
            select.setString(2, name);
            select.setLong(3, since);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long count = rows.getLong(1);
                long last = rows.getLong(2);
                return new Performed(count, rows.wasNull() ? null : last);
            }
        }
    }

    /** The properties as received when the event came over the API, else written from the map. */
    static String propertiesJson(UserEvent event) throws SQLException {
        if (event.propertiesJson() != null) {
            return event.propertiesJson();
        }
        if (event.getProperties().isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(event.getProperties());
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot store the properties of event " + event.getId(), e);
        }
    }
}
