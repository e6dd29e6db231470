package com.conversionrules.bench.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Connections opened the way the service's Database opens them: WAL, synchronous=FULL, the same caches. */
final class SqliteFiles {
    private SqliteFiles() {
    }

    static Connection open(Path file, boolean synchronous) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("busy_timeout", "10000");
        properties.setProperty("jdbc.get_generated_keys", "false");
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute(synchronous ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
            statement.execute("PRAGMA cache_size=-" + 256 * 1024);
            statement.execute("PRAGMA mmap_size=" + (1L << 30));
            statement.execute("PRAGMA wal_autocheckpoint=16384");
        }
        return connection;
    }

    static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
