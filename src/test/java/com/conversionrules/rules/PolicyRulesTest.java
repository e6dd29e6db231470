package com.conversionrules.rules;

import static com.conversionrules.rules.PolicySession.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.Exit;
import com.conversionrules.model.Rejection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped policies in {@code rules/}, compiled through the KIE API and run in a real session. */
class PolicyRulesTest {
    private static final long LATER = T0 + 60_000;
    private static final String ORDER_RULE = "An order converts the user out of every live campaign waiting for an order";
    private static final String VISIT_RULE = "A site visit converts the user out of every live campaign waiting for site activity";
    private static final String OPEN_RULE = "Opening one of the campaign's emails converts the user out of that campaign";
    private static final String CLICK_RULE = "Clicking a link in one of the campaign's emails converts the user out of that campaign";
    private static final String HIGH_VALUE_RULE = "An order worth at least 100 converts the user out of every live "
            + "campaign waiting for a high-value order";
    private static final String SMS_RULE = "Clicking a link in one of the campaign's text messages converts the user out of that campaign";

    private static final Duration WINDOW = Duration.ofDays(7);

    private static LoadedRules rules;

    @BeforeAll
    static void compile() throws RulesException {
        rules = new RulesLoader(PolicySession.RULES).load();
    }

    private static PolicySession session() {
        return new PolicySession(rules);
    }

    /** Conversion event, an event name that converts, whether it must name the campaign, the rule. */
    static Stream<Arguments> conversions() {
        return Stream.of(
                Arguments.of("placed_order", "Placed Order", false, ORDER_RULE),
                Arguments.of("placed_order", "Order Completed", false, ORDER_RULE),
                Arguments.of("site_active", "Active on Site", false, VISIT_RULE),
                Arguments.of("site_active", "Page Viewed", false, VISIT_RULE),
                Arguments.of("opened_email", "Opened Email", true, OPEN_RULE),
                Arguments.of("opened_email", "Email Opened", true, OPEN_RULE),
                Arguments.of("clicked_email", "Clicked Email", true, CLICK_RULE),
                Arguments.of("clicked_email", "Email Link Clicked", true, CLICK_RULE),
                Arguments.of("clicked_sms", "Clicked SMS", true, SMS_RULE),
                Arguments.of("high_value_order", "Placed Order", false, HIGH_VALUE_RULE),
                Arguments.of("high_value_order", "Order Completed", false, HIGH_VALUE_RULE),
                Arguments.of("shopping_intent", "Added to Cart", false, "Adding to the cart shows shopping intent"),
                Arguments.of("shopping_intent", "Checkout Started", false,
                        "A Segment checkout start shows shopping intent"));
    }

    @Test
    void catalogueListsNoneThenThePoliciesWithTheirFiles() {
        assertEquals(List.of("none", "clicked_email", "clicked_sms", "high_value_order", "opened_email", "placed_order",
                "shopping_intent", "site_active"), rules.conversionEvents().ids());
        ConversionEventDefinition order = rules.conversionEvents().find("placed_order").orElseThrow();
        assertEquals("placed-order.drl", order.file());
        assertEquals("Placed order", order.label());
        assertEquals(List.of(ORDER_RULE), order.rules());
        assertTrue(rules.conversionEvents().find("opened_email").orElseThrow().warning().contains("first open"));
    }

    @Test
    void aDecisionTableDefinesAConversionEventWithOneRulePerRow() {
        ConversionEventDefinition intent = rules.conversionEvents().find("shopping_intent").orElseThrow();
        assertEquals("shopping-intent.drl.csv", intent.file());
        assertEquals("Shopping intent", intent.label());
        List<String> rows = ShippedDecisionTable.ruleNames();
        assertTrue(rows.contains("Adding to the cart shows shopping intent"), rows.toString());
        assertEquals(rows.stream().sorted().toList(), intent.rules().stream().sorted().toList());
    }

    @ParameterizedTest(name = "{0}: \"{1}\" converts")
    @MethodSource("conversions")
    void theConversionEventConverts(String conversionEvent, String eventName, boolean namesCampaign, String rule) {
        try (PolicySession s = session().liveCampaign("c1", conversionEvent).enroll("c1", "u1", T0)
                .event("e1", "u1", eventName, LATER, namesCampaign ? "c1" : null)) {
            assertEquals(1, s.fire());
            assertEquals(List.of(rule), s.fired);
            assertEquals("e1", s.exits.get(0).eventId());
            assertEquals("c1", s.exits.get(0).campaignId());
            assertEquals(0, s.enrollmentsLeft());
        }
    }

    @ParameterizedTest(name = "{0}: an event at the enrollment instant converts")
    @MethodSource("conversions")
    void anEventAtTheEnrollmentInstantConverts(String conversionEvent, String eventName, boolean namesCampaign,
                                               String rule) {
        try (PolicySession s = session().liveCampaign("c1", conversionEvent).enroll("c1", "u1", T0)
                .event("e1", "u1", eventName, T0, namesCampaign ? "c1" : null)) {
            assertEquals(1, s.fire());
        }
    }

    @ParameterizedTest(name = "{0}: an event before enrollment does not convert")
    @MethodSource("conversions")
    void anEventBeforeEnrollmentDoesNotConvert(String conversionEvent, String eventName, boolean namesCampaign,
                                               String rule) {
        try (PolicySession s = session().liveCampaign("c1", conversionEvent).enroll("c1", "u1", T0)
                .event("e1", "u1", eventName, T0 - 1, namesCampaign ? "c1" : null)) {
            assertEquals(0, s.fire());
            assertEquals(1, s.enrollmentsLeft());
        }
    }

    @ParameterizedTest(name = "{0}: another user's event does not convert")
    @MethodSource("conversions")
    void anotherUsersEventDoesNotConvert(String conversionEvent, String eventName, boolean namesCampaign,
                                         String rule) {
        try (PolicySession s = session().liveCampaign("c1", conversionEvent).enroll("c1", "u1", T0)
                .event("e1", "u2", eventName, LATER, namesCampaign ? "c1" : null)) {
            assertEquals(0, s.fire());
        }
    }

    @ParameterizedTest(name = "{0}: a draft campaign takes no enrollment, so nothing converts there")
    @MethodSource("conversions")
    void aCampaignThatIsNotLiveTakesNoEnrollment(String conversionEvent, String eventName, boolean namesCampaign,
                                                 String rule) {
        try (PolicySession s = session().draftCampaign("c1", conversionEvent)) {
            CompletionException refused = assertThrows(CompletionException.class, () -> s.enroll("c1", "u1", T0));
            assertEquals(Rejection.Kind.CONFLICT, ((Rejection) refused.getCause()).kind());
            s.event("e1", "u1", eventName, LATER, namesCampaign ? "c1" : null);
            assertEquals(0, s.fire());
            assertEquals(0, s.enrollmentsLeft());
        }
    }

    @ParameterizedTest(name = "a none campaign ignores \"{1}\"")
    @MethodSource("conversions")
    void aCampaignWithoutConversionEventNeverConverts(String conversionEvent, String eventName, boolean namesCampaign,
                                                      String rule) {
        try (PolicySession s = session().liveCampaign("c1", "none").enroll("c1", "u1", T0)
                .event("e1", "u1", eventName, LATER, "c1")) {
            assertEquals(0, s.fire());
            assertEquals(1, s.enrollmentsLeft());
        }
    }

    @ParameterizedTest(name = "{0}: an event on the last instant of the conversion window converts")
    @MethodSource("conversions")
    void anEventAtTheEndOfTheWindowConverts(String conversionEvent, String eventName, boolean namesCampaign,
                                            String rule) {
        try (PolicySession s = session().liveCampaign("c1", conversionEvent, WINDOW).enroll("c1", "u1", T0)
                .event("e1", "u1", eventName, T0 + WINDOW.toMillis(), namesCampaign ? "c1" : null)) {
            assertEquals(1, s.fire());
        }
    }

    @ParameterizedTest(name = "{0}: an event after the conversion window does not convert")
    @MethodSource("conversions")
    void anEventAfterTheWindowDoesNotConvert(String conversionEvent, String eventName, boolean namesCampaign,
                                             String rule) {
        try (PolicySession s = session().liveCampaign("c1", conversionEvent, WINDOW).enroll("c1", "u1", T0)
                .event("e1", "u1", eventName, T0 + WINDOW.toMillis() + 1, namesCampaign ? "c1" : null)) {
            assertEquals(0, s.fire());
            assertEquals(1, s.enrollmentsLeft());
        }
    }

    @Test
    void theWrongEventDoesNotConvert() {
        try (PolicySession s = session().liveCampaign("c1", "placed_order").enroll("c1", "u1", T0)
                .event("e1", "u1", "Opened Email", LATER, "c1")
                .event("e2", "u1", "Active on Site", LATER, null)
                .event("e3", "u1", "Viewed Product", LATER, null)) {
            assertEquals(0, s.fire());
            assertEquals(1, s.enrollmentsLeft());
        }
    }

    @Test
    void anEngagementWithAnotherCampaignsMessageDoesNotConvert() {
        try (PolicySession s = session().liveCampaign("c1", "opened_email").liveCampaign("c2", "clicked_email")
                .liveCampaign("c3", "clicked_sms")
                .enroll("c1", "u1", T0).enroll("c2", "u1", T0).enroll("c3", "u1", T0)
                .event("e1", "u1", "Opened Email", LATER, "other")
                .event("e2", "u1", "Clicked Email", LATER, "c1")
                .event("e3", "u1", "Clicked SMS", LATER, null)) {
            assertEquals(0, s.fire());
            assertEquals(3, s.enrollmentsLeft());
        }
    }

    @Test
    void anOrderConvertsEveryMatchingCampaignOfTheUserAndNoOther() {
        try (PolicySession s = session().liveCampaign("c1", "placed_order").liveCampaign("c2", "placed_order")
                .liveCampaign("c3", "site_active")
                .enroll("c1", "u1", T0).enroll("c2", "u1", T0).enroll("c3", "u1", T0).enroll("c1", "u2", T0)
                .event("e1", "u1", "Placed Order", LATER, null)) {
            assertEquals(2, s.fire());
            assertEquals(List.of("c1", "c2"), s.exits.stream().map(Exit::campaignId).sorted().toList());
            assertEquals(2, s.enrollmentsLeft());
        }
    }

    @Test
    void twoOrdersInOneFireConvertOnce() {
        // In one fire the agenda would credit the later insert; the shard never puts two events of
        // one user into the same fire, so the first order is credited whatever the batch.
        try (PolicySession s = session().liveCampaign("c1", "placed_order").enroll("c1", "u1", T0)
                .event("e1", "u1", "Placed Order", LATER, null)
                .event("e2", "u1", "Placed Order", LATER + 1, null)) {
            assertEquals(1, s.fire());
            assertEquals(1, s.exits.size());
            assertEquals("e1", s.exits.get(0).eventId());
            assertEquals(0, s.enrollmentsLeft());
        }
    }
}
