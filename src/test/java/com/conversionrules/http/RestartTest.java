package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping and starting the service on the same data directory keeps every piece of state. */
class RestartTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";

    @TempDir
    Path dataDir;

    @Test
    void aRestartKeepsCampaignsEnrollmentsExitsStatsAndDedupe() throws Exception {
        try (TestService service = TestService.start(dataDir)) {
            service.liveCampaign("orders", "multi_touch", "placed_order");
            service.liveCampaign("opens", "automation", "opened_email");
            expect(201, service.post("/v1/campaigns",
                    "{\"id\":\"draft\",\"name\":\"Draft\",\"type\":\"flow\",\"conversionEvent\":\"none\"}"));
            for (String user : new String[] {"u1", "u2", "u3", "u4"}) {
                service.enroll("orders", user, ENROLLED);
                service.enroll("opens", user, ENROLLED);
            }
            service.event("o1", "u1", "Placed Order", AFTER, null);
            service.event("m2", "u2", "Opened Email", AFTER, "opens");
            expect(200, service.delete("/v1/campaigns/orders/enrollments/u3"));

            service.restart();

            assertEquals("live", expect(200, service.get("/v1/campaigns/orders")).body().path("status").asText());
            assertEquals("draft", expect(200, service.get("/v1/campaigns/draft")).body().path("status").asText());
            assertEquals("converted", service.status("orders", "u1"));
            assertEquals("exited", service.status("orders", "u3"));
            assertEquals("converted", service.status("opens", "u2"));
            assertEquals("active", service.status("orders", "u4"));
            assertEquals(3, expect(200, service.get("/v1/exits")).body().path("exits").size());

            // The sessions were rebuilt: enrollments made before the restart still convert.
            service.event("o4", "u4", "Placed Order", AFTER, null);
            assertEquals("converted", service.status("orders", "u4"));
            assertEquals("active", service.status("opens", "u4"));
            service.event("m4", "u4", "Opened Email", AFTER, "opens");
            assertEquals("converted", service.status("opens", "u4"));
            // A user who already left stays out, and an event id seen before the restart is a duplicate.
            JsonNode again = service.event("o1", "u1", "Placed Order", AFTER, null).body();
            assertEquals(1, again.path("duplicates").asInt());

            JsonNode stats = expect(200, service.get("/v1/campaigns/orders/stats")).body();
            assertEquals(4, stats.path("enrolled").asInt());
            assertEquals(1, stats.path("active").asInt());
            assertEquals(2, stats.path("converted").asInt());
            assertEquals(0.5, stats.path("conversionRate").asDouble());
        }
    }

    @Test
    void anEndedCampaignStaysEndedAndItsUsersStayOut() throws Exception {
        try (TestService service = TestService.start(dataDir)) {
            service.liveCampaign("over", "multi_touch", "placed_order");
            service.enroll("over", "u1", ENROLLED);
            JsonNode ended = expect(200, service.post("/v1/campaigns/over/end")).body();
            assertEquals(1, ended.path("enrollmentsEnded").asInt());

            service.restart();

            assertEquals("ended", expect(200, service.get("/v1/campaigns/over")).body().path("status").asText());
            service.event("late-order", "u1", "Placed Order", AFTER, null);
            JsonNode enrollment = expect(200, service.get("/v1/campaigns/over/enrollments/u1")).body();
            assertEquals("exited", enrollment.path("status").asText());
            assertEquals("campaign_ended", enrollment.path("exit").path("reason").asText());
            assertEquals(0, expect(200, service.get("/v1/campaigns/over/stats")).body().path("converted").asInt());
        }
    }
}
