package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One row the writer rewrites to learn whether the disk takes writes again after a failed commit. */
final class StoreProbe {
    static final String TABLE = "CREATE TABLE IF NOT EXISTS store_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)";

    private StoreProbe() {
    }

    static void touch(Connection connection) throws SQLException {
        try (PreparedStatement touch = connection.prepareStatement("INSERT OR REPLACE INTO store_probe VALUES (1, ?)")) {
            touch.setLong(1, System.currentTimeMillis());
            touch.executeUpdate();
        }
    }
}
