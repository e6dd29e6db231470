package com.conversionrules.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Statements that must commit together; run by the writer inside a group-commit transaction. */
@FunctionalInterface
interface WriteJob {
    void apply(Connection connection) throws SQLException;
}
