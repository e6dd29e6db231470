package com.conversionrules.replay;

import com.conversionrules.store.PastEnrollment;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds a replay up as it goes, in a fixed size whatever the range: counts, conversions per
 * conversion event and per day, and the first {@link #SAMPLE} enrollments whose outcome differs.
 * The last arm is the one compared; against reality, or against the first arm when
 * {@code againstFirstArm} (the analysts' command compares proposed rules with running ones).
 */
final class ReplayTally {
    static final int SAMPLE = 20;

    private final List<String> armNames;
    private final boolean againstFirstArm;
    private final LocalDate firstDay;
    private final long[] actualByDay;
    private final long[][] armsByDay;
    private long enrollments;
    private long users;
    private String lastUser;
    private long events;
    private final long[] setAside;
    private final ReplayReport.Tally actual = new ReplayReport.Tally();
    private final ReplayReport.Tally[] arms;
    private final ReplayReport.Changes changes = new ReplayReport.Changes();
    private final List<ReplayReport.Difference> differences = new ArrayList<>();

    ReplayTally(List<String> armNames, boolean againstFirstArm, long from, long until) {
        this.armNames = armNames;
        this.againstFirstArm = againstFirstArm;
        this.firstDay = day(from);
        int days = (int) (day(until - 1).toEpochDay() - firstDay.toEpochDay() + 1);
        this.actualByDay = new long[days];
        this.armsByDay = new long[armNames.size()][days];
        this.setAside = new long[armNames.size()];
        this.arms = new ReplayReport.Tally[armNames.size()];
        for (int a = 0; a < arms.length; a++) {
            arms[a] = new ReplayReport.Tally();
        }
    }

    private static LocalDate day(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    void events(long replayed) {
        events += replayed;
    }

    void setAside(int arm) {
        setAside[arm]++;
    }

    void add(PastEnrollment enrollment, Outcome real, Outcome[] replays) {
        enrollments++;
        if (!enrollment.userId().equals(lastUser)) {
            users++;
            lastUser = enrollment.userId();
        }
        count(actual, actualByDay, real);
        for (int a = 0; a < replays.length; a++) {
            count(arms[a], armsByDay[a], replays[a]);
        }
        Outcome baseline = againstFirstArm ? replays[0] : real;
        Outcome compared = replays[replays.length - 1];
        changes.add(baseline, compared);
        if (!baseline.same(compared) && differences.size() < SAMPLE) {
            differences.add(new ReplayReport.Difference(enrollment.userId(), enrollment.enrolledAt(), real,
                    List.of(replays)));
        }
    }

    private void count(ReplayReport.Tally tally, long[] byDay, Outcome outcome) {
        if (!outcome.converted()) {
            return;
        }
        tally.add(outcome.conversionEvent());
        int index = (int) (day(outcome.at()).toEpochDay() - firstDay.toEpochDay());
        if (index >= 0 && index < byDay.length) {
            byDay[index]++;
        }
    }

    ReplayReport report() {
        List<ReplayReport.ArmResult> results = new ArrayList<>();
        for (int a = 0; a < arms.length; a++) {
            results.add(new ReplayReport.ArmResult(armNames.get(a), arms[a], setAside[a]));
        }
        Map<LocalDate, long[]> byDay = new TreeMap<>();
        for (int d = 0; d < actualByDay.length; d++) {
            long[] counts = new long[arms.length + 1];
            counts[0] = actualByDay[d];
            for (int a = 0; a < arms.length; a++) {
                counts[a + 1] = armsByDay[a][d];
            }
            byDay.put(firstDay.plusDays(d), counts);
        }
        return new ReplayReport(enrollments, users, events, actual, results, changes, byDay, differences);
    }
}
