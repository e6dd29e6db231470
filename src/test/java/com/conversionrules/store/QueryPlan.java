package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What SQLite plans to do for a query: the detail lines of EXPLAIN QUERY PLAN. */
final class QueryPlan {
    private QueryPlan() {
    }

    static List<String> of(Connection connection, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + sql);
             ResultSet rows = explain.executeQuery()) {
            while (rows.next()) {
                steps.add(rows.getString("detail"));
            }
        }
        return steps;
    }
}
