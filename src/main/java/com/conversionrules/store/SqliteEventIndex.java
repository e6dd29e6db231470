package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dedupe against the events table: a B-tree probe by (user_id, id) on a connection of the shard's own. */
final class SqliteEventIndex implements EventIndex {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventIndex.class);

    private final Connection connection;
    private final PreparedStatement exists;

    SqliteEventIndex(Connection connection) throws SQLException {
        this.connection = connection;
        this.exists = EventRecords.prepareExists(connection);
    }

    @Override
    public boolean seenBefore(String userId, String eventId) {
        try {
            return EventRecords.exists(exists, userId, eventId);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing an event index failed", e);
        }
    }
}
