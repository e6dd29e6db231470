package com.conversionrules.replay;

import com.conversionrules.engine.SandboxSession;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.EventHistory;
import com.conversionrules.store.PastEnrollment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs one campaign's past again, one user at a time, in a session per arm that holds that user's
 * facts only. Each real enrollment is replayed over its own stretch of time: from when it was made
 * until the user was removed or the campaign ended (what really took the user out without
 * converting), the user's next enrollment, or the end of the range; whatever converts first in
 * that stretch is its outcome. Events go through each session one at a time in the order they
 * happened, as a shard evaluates a user's events.
 */
final class Replayer implements EventHistory.UserHistory, AutoCloseable {
    private final List<Arm> arms;
    private final List<SandboxSession> sessions = new ArrayList<>();
    private final long until;
    private final ReplayTally tally;

    Replayer(List<Arm> arms, long until, ReplayTally tally) {
        this.arms = arms;
        this.until = until;
        this.tally = tally;
        arms.forEach(arm -> sessions.add(new SandboxSession(arm.rules(), arm.campaign())));
    }

    /** Where one arm stands in a user's enrollments. */
    private static final class Progress {
        int next;
        int active = -1;
        final Outcome[] outcomes;

        Progress(int enrollments) {
            outcomes = new Outcome[enrollments];
            java.util.Arrays.fill(outcomes, Outcome.NONE);
        }
    }

    @Override
    public void accept(String userId, List<PastEnrollment> past, Iterator<UserEvent> events) {
        List<PastEnrollment> enrollments = new ArrayList<>(past);
        enrollments.sort(Comparator.comparingLong(PastEnrollment::enrolledAt));
        long[] ends = ends(enrollments);
        // Real conversions are dated by their event's time, as replayed ones are; read as the events pass.
        Map<String, Long> convertingEvents = new HashMap<>();
        for (PastEnrollment enrollment : enrollments) {
            Exit exit = enrollment.exit();
            if (exit != null && exit.reason() == ExitReason.CONVERTED && exit.eventId() != null) {
                convertingEvents.put(exit.eventId(), null);
            }
        }
        List<Progress> progress = new ArrayList<>(arms.size());
        arms.forEach(arm -> progress.add(new Progress(enrollments.size())));
        long replayed = 0;
        while (events.hasNext()) {
            UserEvent event = events.next();
            replayed++;
            if (convertingEvents.containsKey(event.getId())) {
                convertingEvents.put(event.getId(), event.getTime());
            }
            for (int a = 0; a < arms.size(); a++) {
                Progress arm = progress.get(a);
                advance(a, arm, userId, enrollments, ends, event.getTime());
                if (arm.active < 0) {
                    continue;
                }
                SandboxSession.Outcome outcome = sessions.get(a).evaluate(event);
                if (outcome.setAside() != null) {
                    tally.setAside(a);
                }
                if (!outcome.conversions().isEmpty()) {
                    SandboxSession.Converted converted = outcome.conversions().get(0);
                    arm.outcomes[arm.active] = new Outcome(converted.conversionEvent(), event.getTime(), event.getId());
                    arm.active = -1;
                }
            }
        }
        for (int a = 0; a < arms.size(); a++) {
            Progress arm = progress.get(a);
            if (arm.active >= 0) {
                sessions.get(a).remove(arms.get(a).campaign().id(), userId);
            }
        }
        tally.events(replayed);
        for (int i = 0; i < enrollments.size(); i++) {
            Outcome[] replays = new Outcome[arms.size()];
            for (int a = 0; a < arms.size(); a++) {
                replays[a] = progress.get(a).outcomes[i];
            }
            tally.add(enrollments.get(i), actual(enrollments.get(i), convertingEvents), replays);
        }
    }

    /** When each enrollment's stretch ends: a removal or the campaign's end, the next enrollment, or the range's end. */
    private long[] ends(List<PastEnrollment> enrollments) {
        long[] ends = new long[enrollments.size()];
        for (int i = 0; i < ends.length; i++) {
            long end = i + 1 < ends.length ? enrollments.get(i + 1).enrolledAt() : until;
            Exit exit = enrollments.get(i).exit();
            if (exit != null && exit.reason() != ExitReason.CONVERTED) {
                end = Math.min(end, exit.exitedAt());
            }
            ends[i] = Math.min(end, until);
        }
        return ends;
    }

    /** Ends and starts the arm's enrollments up to {@code time}: an enrollment made at an event's time sees it. */
    private void advance(int a, Progress arm, String userId, List<PastEnrollment> enrollments, long[] ends, long time) {
        String campaignId = arms.get(a).campaign().id();
        while (true) {
            if (arm.active >= 0 && ends[arm.active] <= time) {
                sessions.get(a).remove(campaignId, userId);
                arm.active = -1;
            } else if (arm.next < enrollments.size() && enrollments.get(arm.next).enrolledAt() <= time) {
                if (arm.active >= 0) {
                    sessions.get(a).remove(campaignId, userId);
                }
                PastEnrollment enrollment = enrollments.get(arm.next);
                sessions.get(a).enroll(new Enrollment(campaignId, userId, enrollment.enrolledAt()));
                arm.active = arm.next++;
            } else {
                return;
            }
        }
    }

    /** What really happened within the range: a conversion dated by its event, when the store still has it. */
    private Outcome actual(PastEnrollment enrollment, Map<String, Long> eventTimes) {
        Exit exit = enrollment.exit();
        if (exit == null || exit.reason() != ExitReason.CONVERTED) {
            return Outcome.NONE;
        }
        Long eventTime = exit.eventId() == null ? null : eventTimes.get(exit.eventId());
        long at = eventTime != null ? eventTime : exit.exitedAt();
        return at < until ? new Outcome(exit.conversionEvent(), at, exit.eventId()) : Outcome.NONE;
    }

    @Override
    public void close() {
        sessions.forEach(SandboxSession::close);
    }
}
