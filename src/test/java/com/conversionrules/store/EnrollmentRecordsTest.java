package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Enrollment;
import com.conversionrules.model.ExitReason;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exit finds its enrollment through the (campaign, user) index. Found with a million users in one
 * campaign: SQLite picked the (campaign, status) index and scanned every active enrollment per exit.
 */
class EnrollmentRecordsTest {
    @TempDir
    Path dir;

    @Test
    void anExitLooksTheEnrollmentUpByCampaignAndUser() throws Exception {
        try (Connection connection = new Database(dir).open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = EnrollmentRecords.prepareInsert(connection)) {
                for (int u = 0; u < 5_000; u++) {
                    EnrollmentRecords.insert(insert, new Enrollment("big", "u" + u, 1L), false);
                }
            }
            try (PreparedStatement exit = EnrollmentRecords.prepareExit(connection)) {
                assertTrue(EnrollmentRecords.exit(exit, "big", "u42", ExitReason.CONVERTED, "x1"));
                assertEquals(false, EnrollmentRecords.exit(exit, "big", "u42", ExitReason.CONVERTED, "x2"),
                        "only an active enrollment leaves");
            }
            connection.commit();

            // No ANALYZE, as in service: without the named index the planner chose (campaign, status).
            List<String> plan = QueryPlan.of(connection, EnrollmentRecords.EXIT);
            assertTrue(plan.stream().anyMatch(step -> step.contains("USING INDEX enrollments_by_user")), plan.toString());
            assertEquals("converted", EnrollmentRecords.current(connection, "big", "u42").orElseThrow().status());
            assertEquals(new CampaignStats(5_000, 4_999, 1, 0), EnrollmentRecords.stats(connection, "big"));
        }
    }
}
