package com.conversionrules.replay;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay found: the enrollments replayed, what really happened, what each arm would have
 * done, how the compared arm differs (per enrollment), conversions per day, and a sample of the
 * enrollments whose outcome differs.
 *
 * @param byDay per UTC day of the range: the real conversions, then each arm's
 */
public record ReplayReport(long enrollments, long users, long events, Tally actual, List<ArmResult> arms,
                           Changes changes, Map<LocalDate, long[]> byDay, List<Difference> differences) {

    /** Conversions, in all and per conversion event. */
    public static final class Tally {
        private long converted;
        private final Map<String, Long> byConversionEvent = new TreeMap<>();

        void add(String conversionEvent) {
            converted++;
            byConversionEvent.merge(conversionEvent, 1L, Long::sum);
        }

        public long converted() {
            return converted;
        }

        public Map<String, Long> byConversionEvent() {
            return byConversionEvent;
        }
    }

    /** One arm's conversions, and the events a rule failed on in it (set aside, as the service would). */
    public record ArmResult(String name, Tally tally, long eventsSetAside) {
    }

    /**
     * How the compared arm's outcomes differ from the baseline's, enrollment by enrollment: converting
     * where the baseline did not, no longer converting, converting on another event or at another
     * time, or the same.
     */
    public static final class Changes {
        private long newlyConverted;
        private long noLongerConverted;
        private long convertedDifferently;
        private long unchanged;

        void add(Outcome baseline, Outcome compared) {
            if (baseline.same(compared)) {
                unchanged++;
            } else if (!baseline.converted()) {
                newlyConverted++;
            } else if (!compared.converted()) {
                noLongerConverted++;
            } else {
                convertedDifferently++;
            }
        }

        public long newlyConverted() {
            return newlyConverted;
        }

        public long noLongerConverted() {
            return noLongerConverted;
        }

        public long convertedDifferently() {
            return convertedDifferently;
        }

        public long unchanged() {
            return unchanged;
        }

        public long changed() {
            return newlyConverted + noLongerConverted + convertedDifferently;
        }
    }

    /** An enrollment whose outcome differs: what really happened, and each arm's outcome. */
    public record Difference(String userId, long enrolledAt, Outcome actual, List<Outcome> arms) {
    }
}
