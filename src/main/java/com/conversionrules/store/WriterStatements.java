package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The store writer's statements for engine changes, each prepared once per connection instead of
 * once per shard batch: SQLite parses a statement on every prepare, and a commit of single-event
 * requests holds dozens of small batches. Writer thread only; closing the connection finalizes them.
 */
final class WriterStatements {
    private final Connection connection;
    private PreparedStatement insertEvents;
    private PreparedStatement insertKeys;
    private PreparedStatement insertEnrollment;
    private PreparedStatement exitEnrollment;
    private PreparedStatement insertExit;
    private PreparedStatement insertDelivery;
    private PreparedStatement insertFailed;

    private WriterStatements(Connection connection) {
        this.connection = connection;
    }

    /** The statements of {@code connection}: {@code current} when they are its, else new ones. */
    static WriterStatements of(Connection connection, WriterStatements current) {
        return current != null && current.connection == connection ? current : new WriterStatements(connection);
    }

    Connection connection() {
        return connection;
    }

    PreparedStatement insertEvents() throws SQLException {
        if (insertEvents == null) {
            insertEvents = EventRecords.prepareInsert(connection);
        }
        return insertEvents;
    }

    PreparedStatement insertKeys() throws SQLException {
        if (insertKeys == null) {
            insertKeys = EventRecords.prepareKeys(connection);
        }
        return insertKeys;
    }

    PreparedStatement insertEnrollment() throws SQLException {
        if (insertEnrollment == null) {
            insertEnrollment = EnrollmentRecords.prepareInsert(connection);
        }
        return insertEnrollment;
    }

    PreparedStatement exitEnrollment() throws SQLException {
        if (exitEnrollment == null) {
            exitEnrollment = EnrollmentRecords.prepareExit(connection);
        }
        return exitEnrollment;
    }

    PreparedStatement insertExit() throws SQLException {
        if (insertExit == null) {
            insertExit = ExitRecords.prepareInsert(connection);
        }
        return insertExit;
    }

    PreparedStatement insertDelivery() throws SQLException {
        if (insertDelivery == null) {
            insertDelivery = DeliveryRecords.prepareInsert(connection);
        }
        return insertDelivery;
    }

    PreparedStatement insertFailed() throws SQLException {
        if (insertFailed == null) {
            insertFailed = FailedEventRecords.prepareInsert(connection);
        }
        return insertFailed;
    }
}
