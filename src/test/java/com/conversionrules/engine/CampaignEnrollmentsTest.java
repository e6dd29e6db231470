package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignEnrollmentsTest {
    private static final ConversionTerms ORDER = new ConversionTerms("placed_order", null);
    private static final ConversionTerms CLICK = new ConversionTerms("clicked_email", null);
    private static final ConversionTerms SHORT_CLICK = new ConversionTerms("clicked_email",
            new ConversionWindow(Duration.ofDays(1)));

    /** What the session would have seen. */
    private static final class Recorded implements CampaignEnrollments.Facts {
        final List<String> changes = new ArrayList<>();

        @Override
        public void insert(Enrollment fact) {
            changes.add("insert " + fact.getUserId() + " " + fact.getConversionEvent());
        }

        @Override
        public void replace(Enrollment old, Enrollment now) {
            changes.add("replace " + old.getUserId() + " " + old.getConversionEvent());
        }

        @Override
        public void delete(Enrollment fact) {
            changes.add("delete " + fact.getUserId() + " " + fact.getConversionEvent());
        }
    }

    @Test
    void aOneEventCampaignHoldsOneFactPerUser() {
        CampaignEnrollments enrollments = new CampaignEnrollments(List.of(ORDER));
        Enrollment ann = new Enrollment("c", "ann", 1);
        List<Enrollment> facts = enrollments.add(ann);
        assertEquals(1, facts.size());
        assertSame(ORDER.conversionEvent(), facts.get(0).getConversionEvent());
        assertEquals(List.of(), enrollments.add(new Enrollment("c", "ann", 2)), "already active");
    }

    @Test
    void aTwoEventCampaignHoldsAFactPerEventAndRemovesThemTogether() {
        CampaignEnrollments enrollments = new CampaignEnrollments(List.of(ORDER, CLICK));
        List<Enrollment> facts = enrollments.add(new Enrollment("c", "ann", 1));
        assertEquals(List.of("placed_order", "clicked_email"),
                facts.stream().map(Enrollment::getConversionEvent).toList());
        assertTrue(facts.stream().allMatch(enrollments::isActive));
        assertEquals(1, enrollments.rank(facts.get(1)));
        assertEquals(1, enrollments.size(), "one enrollment, two facts");
        assertEquals(facts, enrollments.remove("ann"));
        assertFalse(enrollments.isActive(facts.get(0)));
        assertEquals(0, enrollments.size());
    }

    @Test
    void retargetingAddsDropsAndReplacesOnlyWhatChanged() {
        CampaignEnrollments enrollments = new CampaignEnrollments(List.of(ORDER));
        Enrollment order = enrollments.add(new Enrollment("c", "ann", 1)).get(0);
        Recorded session = new Recorded();

        enrollments.retarget(List.of(ORDER, CLICK), session);
        assertEquals(List.of("insert ann clicked_email"), session.changes);
        assertSame(order, enrollments.primary("ann"), "the order fact is untouched");

        session.changes.clear();
        enrollments.retarget(List.of(SHORT_CLICK), session);
        assertEquals(List.of("replace ann clicked_email", "delete ann placed_order"), session.changes);
        Enrollment click = enrollments.primary("ann");
        assertEquals(List.of(click), enrollments.facts("ann"));
        assertFalse(click.inConversionWindow(clickAfter(Duration.ofDays(2))), "the click fact has the new window");
        assertTrue(click.inConversionWindow(clickAfter(Duration.ofHours(23))));
    }

    private static UserEvent clickAfter(Duration sinceEnrolling) {
        return new UserEvent("e", "ann", "Clicked Email", 1 + sinceEnrolling.toMillis(), "c", null, 0);
    }
}
