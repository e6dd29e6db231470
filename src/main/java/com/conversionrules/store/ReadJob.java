package com.conversionrules.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A query run on one of the store's reader threads. */
@FunctionalInterface
interface ReadJob<T> {
    T apply(Connection connection) throws SQLException;
}
