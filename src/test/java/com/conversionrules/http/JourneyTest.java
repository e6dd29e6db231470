package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole journey per conversion event, over HTTP against the real service. */
class JourneyTest extends SharedServiceTest {
    private static final String ENROLLED = "2026-11-01T10:00:00Z";
    private static final String BEFORE = "2026-11-01T09:59:59Z";
    private static final String AFTER = "2026-11-02T10:00:00Z";


    @ParameterizedTest(name = "{0} converts on \"{1}\"")
    @CsvSource({
        "placed_order,  Placed Order,       false, Active on Site",
        "placed_order,  Order Completed,    false, Opened Email",
        "site_active,   Active on Site,     false, Placed Order",
        "site_active,   Page Viewed,        false, Clicked Email",
        "opened_email,  Opened Email,       true,  Clicked Email",
        "opened_email,  Email Opened,       true,  Placed Order",
        "clicked_email, Clicked Email,      true,  Opened Email",
        "clicked_email, Email Link Clicked, true,  Clicked SMS",
        "clicked_sms,   Clicked SMS,        true,  Clicked Email",
    })
    void journey(String conversionEvent, String converting, boolean namesCampaign, String other) {
        String campaign = "journey-" + conversionEvent + "-" + converting.replace(' ', '-');
        String user = "user-" + campaign;
        service.liveCampaign(campaign, "multi_touch", conversionEvent);
        service.enroll(campaign, user, ENROLLED);
        String messageCampaign = namesCampaign ? campaign : null;

        service.event(campaign + "-other", user, other, AFTER, campaign);
        service.event(campaign + "-early", user, converting, BEFORE, messageCampaign);
        if (namesCampaign) {
            service.event(campaign + "-elsewhere", user, converting, AFTER, "another-campaign");
        }
        assertEquals("active", service.status(campaign, user));

        JsonNode outcome = service.event(campaign + "-converts", user, converting, AFTER, messageCampaign).body();
        assertEquals(1, outcome.path("accepted").asInt());

        JsonNode enrollment = expect(200, service.get("/v1/campaigns/" + campaign + "/enrollments/" + user)).body();
        assertEquals("converted", enrollment.path("status").asText());
        assertEquals("converted", enrollment.path("exit").path("reason").asText());
        assertEquals(conversionEvent, enrollment.path("exit").path("conversionEvent").asText());
        assertEquals(campaign + "-converts", enrollment.path("exit").path("eventId").asText());

        JsonNode stats = expect(200, service.get("/v1/campaigns/" + campaign + "/stats")).body();
        assertEquals(1, stats.path("enrolled").asInt());
        assertEquals(0, stats.path("active").asInt());
        assertEquals(1, stats.path("converted").asInt());
        assertEquals(1.0, stats.path("conversionRate").asDouble());

        String exitId = enrollment.path("exit").path("id").asText();
        boolean onFeed = false;
        for (JsonNode exit : expect(200, service.get("/v1/exits?limit=1000")).body().path("exits")) {
            onFeed |= exit.path("id").asText().equals(exitId) && exit.path("userId").asText().equals(user);
        }
        assertEquals(true, onFeed, "the exit is on the pull feed");
    }

    @ParameterizedTest(name = "a {0} campaign with no conversion event keeps the user after \"{1}\"")
    @CsvSource({"multi_touch, Placed Order", "automation, Active on Site", "flow, Opened Email"})
    void noConversionEventKeepsTheUser(String type, String eventName) {
        String campaign = "none-" + type;
        service.liveCampaign(campaign, type, "none");
        service.enroll(campaign, "u-" + campaign, ENROLLED);
        service.event("e-" + campaign, "u-" + campaign, eventName, AFTER, campaign);
        assertEquals("active", service.status(campaign, "u-" + campaign));
    }
}
