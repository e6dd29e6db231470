package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** SQL for the sender endpoints: which are configured now, and which a 410 Gone has disabled. */
final class EndpointRecords {
    private EndpointRecords() {
    }

    /**
     * Records the endpoints of this start. A new endpoint also gets a delivery for every exit no
     * endpoint has received yet (exits stored while no webhook was configured). A disabled endpoint
     * stays disabled until its URL changes.
     */
    static void sync(Connection connection, List<ConfiguredEndpoint> endpoints) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE webhook_endpoints SET configured = 0");
        }
        for (ConfiguredEndpoint endpoint : endpoints) {
            boolean known;
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM webhook_endpoints WHERE name = ?")) {
                select.setString(1, endpoint.name());
                try (ResultSet rows = select.executeQuery()) {
                    known = rows.next();
                }
            }
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO webhook_endpoints (name, url, configured) VALUES (?, ?, 1)
                    ON CONFLICT (name) DO UPDATE SET configured = 1,
                        disabled_at = CASE WHEN url = excluded.url THEN disabled_at END,
                        disabled_reason = CASE WHEN url = excluded.url THEN disabled_reason END,
                        url = excluded.url""")) {
                upsert.setString(1, endpoint.name());
                upsert.setString(2, endpoint.url());
                upsert.executeUpdate();
            }
            if (!known) {
                backfill(connection, endpoint.name());
            }
        }
    }

    static void disable(Connection connection, String name, String reason, long at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ? WHERE name = ?")) {
            update.setLong(1, at);
            update.setString(2, reason);
            update.setString(3, name);
            update.executeUpdate();
        }
    }

    static List<EndpointState> all(Connection connection) throws SQLException {
        List<EndpointState> endpoints = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT name, url, configured, disabled_at, disabled_reason FROM webhook_endpoints ORDER BY name");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long disabledAt = rows.getLong(4);
                Long disabled = rows.wasNull() ? null : disabledAt;
                endpoints.add(new EndpointState(rows.getString(1), rows.getString(2), rows.getInt(3) == 1, disabled,
                        rows.getString(5)));
            }
        }
        return endpoints;
    }

    private static void backfill(Connection connection, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT OR IGNORE INTO deliveries (exit_id, endpoint)
                SELECT e.id, ? FROM exits e
                WHERE e.delivered_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.exit_id = e.id AND d.delivered_at IS NOT NULL)
                ORDER BY e.seq""")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
    }
}
