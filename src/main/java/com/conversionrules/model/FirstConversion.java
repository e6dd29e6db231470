package com.conversionrules.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A user exits a campaign once, on the first of its conversion events that happens. Events are
 * evaluated one per user at a time, so conversions of one enrollment in one fire all come from the
 * same event: when it satisfies several of the campaign's conversion events (an order that is both
 * {@code placed_order} and {@code high_value_order}), the exit is credited to the one the campaign
 * lists first.
 */
public final class FirstConversion {
    private FirstConversion() {
    }

    /**
     * One conversion per enrollment, in the order of their first appearance.
     *
     * @param rankOf where the enrollment fact's conversion event stands in its campaign's list
     */
    public static <T> List<T> perEnrollment(List<T> conversions, Function<T, Enrollment> enrollmentOf,
                                            ToIntFunction<Enrollment> rankOf) {
        if (conversions.size() < 2) {
            return conversions;
        }
        Map<String, T> first = new LinkedHashMap<>();
        for (T conversion : conversions) {
            Enrollment enrollment = enrollmentOf.apply(conversion);
            first.merge(enrollment.getCampaignId() + '\u0000' + enrollment.getUserId(), conversion,
                    (kept, next) -> rankOf.applyAsInt(enrollmentOf.apply(next))
                            < rankOf.applyAsInt(enrollmentOf.apply(kept)) ? next : kept);
        }
        return first.size() == conversions.size() ? conversions : new ArrayList<>(first.values());
    }
}
