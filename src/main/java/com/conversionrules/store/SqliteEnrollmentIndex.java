package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Past enrollments from the enrollments table, on a connection of the shard's own. */
final class SqliteEnrollmentIndex implements EnrollmentIndex {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEnrollmentIndex.class);

    private final Connection connection;
    private final PreparedStatement latest;

    SqliteEnrollmentIndex(Connection connection) throws SQLException {
        this.connection = connection;
        this.latest = EnrollmentRecords.prepareLatest(connection);
    }

    @Override
    public Optional<Latest> latest(String campaignId, String userId) {
        try {
            return EnrollmentRecords.latest(latest, campaignId, userId);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing an enrollment index failed", e);
        }
    }
}
