package com.conversionrules.replay;

import com.conversionrules.model.Rejection;
import com.conversionrules.store.EventHistory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Replays a campaign's stored past under other terms or rules, and never changes anything: it reads
 * the store through an {@link EventHistory} of its own and evaluates in sessions of its own. One
 * replay at a time, on its own thread; another asked meanwhile is refused (429), so replays never
 * take more than one core from the shards.
 *
 * <p>Memory: each arm's session holds one user's facts and one event at a time, the history reader
 * one user's enrollments and 8 MB page caches (the range's events are sorted by user on disk), and
 * the report a fixed size (one entry per day of the range, {@value ReplayTally#SAMPLE} differing
 * enrollments): a few megabytes beyond the rules, whatever the range or the campaign's size.
 */
public final class Simulator implements AutoCloseable {
    /** One entry per day in the report: a year and a day at most. */
    public static final Duration LONGEST_RANGE = Duration.ofDays(366);

    private final Supplier<EventHistory> histories;
    private final Clock clock;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread replay = new Thread(runnable, "replay");
        replay.setDaemon(true);
        return replay;
    });
    private final Semaphore idle = new Semaphore(1);

    /** What one replay answers: the report, the range and history it covered, and how long it took. */
    public record Result(ReplayReport report, List<Arm> arms, long from, long until, long retainedSince,
                         long tookMillis) {
    }

    public Simulator(Supplier<EventHistory> histories, Clock clock) {
        this.histories = histories;
        this.clock = clock;
    }

    /**
     * Replays the campaign's enrollments made in [{@code from}, {@code until}) under the arms, which
     * are built on the replay's thread (compiling proposed rules takes a second or two) and compared
     * with what really happened. Stops early, failing, once {@code keepGoing} turns false.
     */
    public CompletableFuture<Result> simulate(String campaignId, long from, long until, Supplier<List<Arm>> arms,
                                              BooleanSupplier keepGoing) {
        if (!idle.tryAcquire()) {
            throw Rejection.tooBusy("a simulation is running; one runs at a time, so retry when it ends");
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                long started = System.nanoTime();
                try (EventHistory history = histories.get()) {
                    List<Arm> built = arms.get();
                    ReplayReport report = run(history, campaignId, from, until, built, false, keepGoing);
                    if (!keepGoing.getAsBoolean()) {
                        throw Rejection.timeout("the simulation stopped: the client went away");
                    }
                    return new Result(report, built, from, until, history.retainedSince(),
                            Duration.ofNanos(System.nanoTime() - started).toMillis());
                }
            }, thread).whenComplete((result, failure) -> idle.release());
        } catch (RuntimeException e) {
            idle.release();
            throw e;
        }
    }

    /**
     * One replay on the calling thread, refused when the range starts before the kept history.
     *
     * @param againstFirstArm compare the last arm with the first (else with what really happened)
     */
    public static ReplayReport run(EventHistory history, String campaignId, long from, long until, List<Arm> arms,
                                   boolean againstFirstArm, BooleanSupplier keepGoing) {
        long retainedSince = history.retainedSince();
        if (from < retainedSince) {
            throw Rejection.unprocessable("the store keeps events since " + Instant.ofEpochMilli(retainedSince)
                    + " and this range starts at " + Instant.ofEpochMilli(from) + ", before that: a replay would "
                    + "miss the events in between; ask for a range from " + Instant.ofEpochMilli(retainedSince) + " on");
        }
        ReplayTally tally = new ReplayTally(arms.stream().map(Arm::name).toList(), againstFirstArm, from, until);
        try (Replayer replayer = new Replayer(arms, until, tally)) {
            history.forEachUser(campaignId, from, until, keepGoing, replayer);
        }
        return tally.report();
    }

    /** Now, for a range that runs up to the present. */
    public long now() {
        return clock.millis();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
