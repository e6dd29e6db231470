package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's reads look rows up through an index instead of scanning a table: a campaign's
 * latest exits and conversions over time, a user's enrollments, each endpoint's backlog, and a
 * cluster's exits feed. Each
 * runs every few seconds while a console page is open, on stores with millions of rows.
 */
class ActivityQueriesTest {
    @TempDir
    Path dir;

    private static void assertSearches(List<String> plan, String... searches) {
        for (String search : searches) {
            assertTrue(plan.stream().anyMatch(step -> step.startsWith(search)), "expected '" + search + "' in " + plan);
        }
        assertTrue(plan.stream().noneMatch(step -> step.startsWith("SCAN") && !step.contains("campaigns")),
                "no table scan but the small campaigns table: " + plan);
    }

    @Test
    void aUsersEnrollmentsAreLookedUpOncePerCampaign() throws Exception {
        try (Connection connection = new Database(dir).open()) {
            assertSearches(QueryPlan.of(connection, EnrollmentRecords.OF_USER),
                    "SEARCH n USING INDEX enrollments_by_user (campaign_id=? AND user_id=?)",
                    "SEARCH e USING INDEX");
        }
    }

    @Test
    void aCampaignsExitsAndConversionsReadOneRangeOfTheCampaignTimeIndex() throws Exception {
        try (Connection connection = new Database(dir).open()) {
            assertSearches(QueryPlan.of(connection, ExitRecords.LATEST_OF),
                    "SEARCH e USING INDEX exits_by_campaign_time (campaign_id=? AND reason=?)");
            List<String> conversions = QueryPlan.of(connection, ExitRecords.CONVERSIONS_OVER_TIME);
            assertSearches(conversions, "SEARCH exits USING COVERING INDEX exits_by_campaign_time "
                    + "(campaign_id=? AND reason=? AND exited_at>? AND exited_at<?)");
            assertEquals(1, conversions.stream().filter(step -> step.startsWith("SEARCH")).count(), conversions.toString());
        }
    }

    /** A cluster's exits feed: each partition's next exits are one range of the index of topic positions. */
    @Test
    void aPartitionsNextExitsAreOneRangeOfTheTopicPositionIndex() throws Exception {
        try (Connection connection = new Database(dir).open()) {
            assertSearches(QueryPlan.of(connection, ExitPositions.NEXT_OF_PARTITION),
                    "SEARCH exits USING COVERING INDEX exits_by_topic_position (topic_partition=? AND topic_offset>?)");
        }
    }

    /** Partial indexes that hold only undelivered or given-up rows: the count costs the backlog, not the history. */
    @Test
    void anEndpointsBacklogIsCountedFromIndexesOfTheBacklogOnly() throws Exception {
        try (Connection connection = new Database(dir).open()) {
            List<String> waiting = QueryPlan.of(connection, DeliveryRecords.WAITING);
            assertTrue(waiting.stream().anyMatch(step -> step.contains("USING INDEX deliveries_waiting")), waiting.toString());
            List<String> givenUp = QueryPlan.of(connection, DeliveryRecords.GIVEN_UP);
            assertTrue(givenUp.stream().anyMatch(step -> step.contains("USING INDEX deliveries_given_up")),
                    givenUp.toString());
        }
    }
}
