package com.conversionrules.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FirstConversionTest {
    private static final Campaign CAMPAIGN = new Campaign("vip", "vip", CampaignType.MULTI_TOUCH,
            List.of(new ConversionGoal("high_value_order", null), new ConversionGoal("placed_order", null)), null,
            null, 0, CampaignStatus.LIVE, 0, 0L, null);

    private static Enrollment fact(String user, int goal) {
        return new Enrollment("vip", user, 0).under(CAMPAIGN.terms().get(goal));
    }

    private static int rank(Enrollment fact) {
        return CAMPAIGN.conversionEvents().indexOf(fact.getConversionEvent());
    }

    @Test
    void oneConversionPerEnrollmentCreditedToTheEventListedFirst() {
        Enrollment annPlaced = fact("ann", 1);
        Enrollment annHighValue = fact("ann", 0);
        Enrollment bobPlaced = fact("bob", 1);
        List<Enrollment> kept = FirstConversion.perEnrollment(List.of(annPlaced, bobPlaced, annHighValue),
                Function.identity(), FirstConversionTest::rank);
        assertEquals(List.of(annHighValue, bobPlaced), kept);
    }

    @Test
    void conversionsOfDifferentEnrollmentsAreAllKeptInOrder() {
        List<Enrollment> conversions = List.of(fact("ann", 1), fact("bob", 0), fact("cy", 1));
        assertEquals(conversions, FirstConversion.perEnrollment(conversions, Function.identity(),
                FirstConversionTest::rank));
    }
}
