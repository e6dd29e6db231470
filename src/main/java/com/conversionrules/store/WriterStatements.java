package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The store writer's statements for engine changes, each prepared once per connection instead of
 * once per shard batch: SQLite parses a statement on every prepare, and a commit of single-event
 * requests holds dozens of small batches. Writer thread only; closing the connection finalizes them.
 */
final class WriterStatements {
    /** The statements, each with how it is prepared. */
    enum Kind {
        INSERT_EVENTS(EventRecords::prepareInsert),
        INSERT_KEYS(EventRecords::prepareKeys),
        INSERT_ENROLLMENT(EnrollmentRecords::prepareInsert),
        EXIT_ENROLLMENT(EnrollmentRecords::prepareExit),
        INSERT_EXIT(ExitRecords::prepareInsert),
        INSERT_DELIVERY(DeliveryRecords::prepareInsert),
        INSERT_FAILED(FailedEventRecords::prepareInsert);

        private final Preparer preparer;

        Kind(Preparer preparer) {
            this.preparer = preparer;
        }
    }

    private interface Preparer {
        PreparedStatement prepare(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final Map<Kind, PreparedStatement> prepared = new EnumMap<>(Kind.class);

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

    PreparedStatement get(Kind kind) throws SQLException {
        PreparedStatement statement = prepared.get(kind);
        if (statement == null) {
            statement = kind.preparer.prepare(connection);
            prepared.put(kind, statement);
        }
        return statement;
    }
}
