package com.conversionrules.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conversion windows: parsed from ISO-8601, written back readably, and the bounds policies rely on. */
class ConversionWindowTest {
    private static final long ENROLLED = 1_000_000L;

    @ParameterizedTest(name = "{0} reads back as {1}")
    @CsvSource({"P7D, P7D", "PT168H, P7D", "PT12H, PT12H", "PT30H, P1DT6H", "PT90M, PT1H30M", "P1DT0.5S, P1DT0.5S"})
    void aWindowIsWrittenWithWholeDaysAsDays(String text, String written) {
        assertEquals(written, ConversionWindow.parse(text).toString());
    }

    @Test
    void monthsZeroAndNegativeDurationsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConversionWindow.parse("P1M")).getMessage()
                .startsWith("'P1M' is not an ISO-8601 duration"));
        assertEquals("'PT0S' is not a positive duration: use one such as P7D (7 days), PT12H (12 hours) or P1DT6H",
                assertThrows(IllegalArgumentException.class, () -> ConversionWindow.parse("PT0S")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConversionWindow.parse("-P1D"));
        assertEquals("P3650D", ConversionWindow.parse("P3650D").toString());
        assertEquals("'PT99999999H' is longer than P3650D (10 years); leave the window out for no limit",
                assertThrows(IllegalArgumentException.class, () -> ConversionWindow.parse("PT99999999H")).getMessage());
    }

    @Test
    void anEnrollmentCoversEventsFromItsStartToTheEndOfTheWindowInclusive() {
        Campaign windowedCampaign = new Campaign("c1", "c1", CampaignType.MULTI_TOUCH, "placed_order",
                ConversionWindow.parse("PT1S"), CampaignStatus.LIVE, 0, 0L, null);
        Enrollment windowed = new Enrollment("c1", "u1", ENROLLED).under(ConversionTerms.of(windowedCampaign));
        Enrollment open = windowed.under(ConversionTerms.of(windowedCampaign.withConversionWindow(null)));
        assertFalse(windowed.inConversionWindow(event(ENROLLED - 1)));
        assertTrue(windowed.inConversionWindow(event(ENROLLED)));
        assertTrue(windowed.inConversionWindow(event(ENROLLED + 1000)));
        assertFalse(windowed.inConversionWindow(event(ENROLLED + 1001)));
        assertTrue(open.inConversionWindow(event(ENROLLED + 365L * 86_400_000)));
        assertFalse(open.inConversionWindow(event(ENROLLED - 1)));
    }

    @Test
    void anEnrollmentTakesItsCampaignsTermsAndKeepsThemUntilPutUnderNewOnes() {
        Campaign campaign = new Campaign("c1", "c1", CampaignType.MULTI_TOUCH, "placed_order", null,
                CampaignStatus.LIVE, 0, 0L, null);
        Enrollment unplaced = new Enrollment("c1", "u1", ENROLLED);
        ConversionTerms terms = ConversionTerms.of(campaign);
        Enrollment placed = unplaced.under(terms);
        assertEquals(null, unplaced.getConversionEvent());
        assertEquals("placed_order", placed.getConversionEvent());
        assertTrue(placed == placed.under(ConversionTerms.of(campaign)), "unchanged terms keep the same fact");
        Enrollment moved = placed.under(ConversionTerms.of(campaign.withConversionEvent("site_active")));
        assertEquals("site_active", moved.getConversionEvent());
        assertEquals("placed_order", placed.getConversionEvent());
        assertEquals(ENROLLED, moved.getEnrolledAt());
    }

    private static UserEvent event(long time) {
        return new UserEvent("e", "u1", "Placed Order", time, null, Map.of(), 0);
    }
}
