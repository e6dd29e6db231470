package com.conversionrules.engine;

import com.conversionrules.holdout.Holdout;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.RuleRef;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.EngineStore;
import com.conversionrules.store.StoreUnavailableException;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import org.kie.api.definition.rule.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine thread owning one {@link ShardSession}. It drains its queue in batches: events are
 * inserted together and evaluated with one fire, then leave the session at once; everything the
 * batch changed goes to the store as one write, and the batch's callers hear back only after that
 * write is durable.
 */
final class Shard implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Shard.class);
    /** How long a shard waits for a campaign change to be decided; the engine decides well before. */
    private static final Duration DECISION_WAIT = Duration.ofMinutes(2);

    private final String name;
    private final Predicate<String> ownsUser;
    private final IntPredicate ownsUserHash;
    private final ShardSession session;
    private final EngineStore store;
    private final Clock clock;
    private final Consumer<List<Exit>> exitsCommitted;
    private final Metrics metrics;
    private final int maxBatch;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private final Semaphore room;
    private final SeenEvents seen;
    private final long dedupeWindowMillis;
    private final ReentryGate reentry;

    private volatile boolean running = true;
    private volatile long busySince;
    /** A batch's write failed: the session holds changes the store never got, so it starts again from the store. */
    private volatile boolean diverged;

    Shard(int index, LoadedRules rules, Predicate<String> ownsUser, IntPredicate ownsUserHash, EngineStore store,
          Clock clock, int maxBatch, int queueCapacity, long dedupeWindowMillis, Consumer<List<Exit>> exitsCommitted,
          Metrics metrics) {
        this.name = "shard-" + index;
        this.ownsUser = ownsUser;
        this.ownsUserHash = ownsUserHash;
        this.session = new ShardSession(rules, metrics);
        this.store = store;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.exitsCommitted = exitsCommitted;
        this.metrics = metrics;
        this.capacity = queueCapacity;
        this.room = new Semaphore(queueCapacity);
        this.dedupeWindowMillis = dedupeWindowMillis;
        this.seen = new SeenEvents(dedupeWindowMillis, clock.millis());
        this.reentry = new ReentryGate(store.openEnrollmentIndex());
    }

    String name() {
        return name;
    }

    /**
     * Reserves room for a request's items; false when the shard is too far behind. Room is given
     * back as the shard takes the task off its queue.
     */
    boolean tryAdmit(int items) {
        return room.tryAcquire(admitted(items));
    }

    void release(int items) {
        room.release(admitted(items));
    }

    /**
     * Queues a task. Request tasks come with room reserved by {@link #tryAdmit}; start-up and
     * campaign tasks are never refused.
     */
    void submit(Task task) {
        queue.add(task);
    }

    /** A request larger than the whole room still gets in, alone. */
    private int admitted(int items) {
        return Math.min(items, capacity);
    }

    /** Items waiting in the queue. */
    int queueDepth() {
        return capacity - room.availablePermits();
    }

    void stop() {
        running = false;
        queue.offer(new Task.Load(List.of(), new CompletableFuture<>()));
    }

    /** Remembers an event id the store already holds; before the shard starts only. */
    void seen(long key, long receivedAt) {
        seen.add(key, receivedAt, clock.millis());
    }

    /**
     * How long the shard has been inside one batch, in nanoseconds; 0 while it waits for work. A
     * batch takes milliseconds: a long one means a rule that blocks or a store that hangs.
     */
    long busyNanos() {
        long since = busySince;
        return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
    }

    @Override
    public void run() {
        List<Task> batch = new ArrayList<>(maxBatch);
        try {
            while (running || !queue.isEmpty()) {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                busySince = System.nanoTime();
                batch.forEach(task -> release(task.items()));
                if (diverged) {
                    diverged = !rebuildFromStore();
                }
                if (diverged) {
                    // Still out of step with the store: nothing may be evaluated on this session.
                    batch.forEach(task -> task.done().completeExceptionally(new StoreUnavailableException(
                            new IllegalStateException(name + " could not read its state back from the store"))));
                } else {
                    process(batch);
                }
                batch.clear();
                busySince = 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session.dispose();
            reentry.close();
        }
    }

    /** An event of the batch waiting in the session for its fire, and the request it came in. */
    private record Waiting(UserEvent event, long key, EventProgress request) {
    }

    /** What one request's events came to so far; read once the batch is durable. */
    private static final class EventProgress {
        private int accepted;
        private int duplicates;
        private List<FailedEvent> failed = List.of();

        void failed(FailedEvent event) {
            if (failed.isEmpty()) {
                failed = new ArrayList<>();
            }
            failed.add(event);
        }

        EventsOutcome outcome() {
            return new EventsOutcome(accepted, duplicates, failed);
        }
    }

    /**
     * Runs a batch in order. A campaign change splits it: what came before is evaluated and its
     * write queued first, then the change is made with every other shard (see {@link #change}).
     */
    private void process(List<Task> batch) {
        List<Task> segment = new ArrayList<>(batch.size());
        for (Task task : batch) {
            if (task instanceof Task.ChangeCampaign change) {
                processSegment(segment);
                segment.clear();
                change(change);
            } else {
                segment.add(task);
            }
        }
        processSegment(segment);
    }

    private void processSegment(List<Task> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (!store.writable()) {
            // Nothing a request changes could be kept: refuse requests before they touch the session.
            batch.removeIf(this::refusedWhileUnwritable);
        }
        long builtAt = store.epoch();
        ChangeBatch writes = new ChangeBatch(clock.millis());
        List<Runnable> acknowledgements = new ArrayList<>(batch.size());
        List<Waiting> waiting = new ArrayList<>();
        LongArrayList evaluatedKeys = new LongArrayList();
        try {
            for (Task task : batch) {
                if (!(task instanceof Task.Evaluate)) {
                    evaluate(writes, waiting);
                }
                run(task, writes, acknowledgements, waiting, evaluatedKeys);
            }
            evaluate(writes, waiting);
        } catch (RuntimeException e) {
            // Not one event's fault (rule faults are set aside above): this service or its store failed.
            LOG.error("{} failed to process a batch; rebuilding its session from the store", name, e);
            evaluatedKeys.forEach(seen::remove);
            writes.exits().forEach(reentry::settled);
            batch.forEach(task -> task.done().completeExceptionally(e));
            diverged = !rebuildFromStore();
            return;
        }
        // Even a batch that changed nothing waits for the writes queued before it: a duplicate is
        // acknowledged only once the original is durable.
        store.commit(writes, builtAt).whenComplete((ignored, failure) -> {
            writes.exits().forEach(reentry::settled);
            if (failure != null) {
                // Its event ids must be forgotten, as everything else of it: the rebuild reads them back from the store.
                diverged = true;
                batch.forEach(task -> task.done().completeExceptionally(failure));
                return;
            }
            acknowledgements.forEach(Runnable::run);
            if (!writes.exits().isEmpty()) {
                metrics.exitsCommitted(writes.exits());
                exitsCommitted.accept(writes.exits());
            }
            if (!writes.failed().isEmpty()) {
                metrics.eventsFailed(writes.failed());
            }
        });
    }

    /**
     * This shard's part of a campaign change: says what it would write, then waits (the other shards
     * wait too, so nothing moves meanwhile) for the change to be committed with every shard's part,
     * or not. Only a committed change reaches the session, so shards and store never disagree.
     */
    private void change(Task.ChangeCampaign change) {
        if (diverged) {
            diverged = !rebuildFromStore();
        }
        if (diverged) {
            change.prepared().completeExceptionally(new StoreUnavailableException(
                    new IllegalStateException(name + " could not read its state back from the store")));
            change.done().complete(0);
            return;
        }
        Campaign next = change.next();
        ChangeBatch writes = new ChangeBatch(clock.millis());
        List<String> leaving = next.status() == CampaignStatus.ENDED ? session.activeUsers(next.id()) : List.of();
        leaving.forEach(userId -> leave(next.id(), userId, ExitReason.CAMPAIGN_ENDED, writes));
        change.prepared().complete(new CampaignPart(writes, store.epoch()));
        boolean committed;
        try {
            committed = change.decision().get(DECISION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            committed = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            committed = false;
        }
        if (!committed) {
            change.done().complete(0);
            return;
        }
        session.putCampaign(next);
        if (!leaving.isEmpty()) {
            session.removeAll(next.id());
        }
        change.done().complete(leaving.size());
    }

    private boolean refusedWhileUnwritable(Task task) {
        if (task instanceof Task.Evaluate || task instanceof Task.Enroll || task instanceof Task.Remove) {
            task.done().completeExceptionally(new StoreUnavailableException(new IllegalStateException(
                    "the store cannot write at the moment (a full disk or an I/O error; see the service's log)")));
            return true;
        }
        return false;
    }

    private void run(Task task, ChangeBatch writes, List<Runnable> acknowledgements, List<Waiting> waiting,
                     LongArrayList evaluatedKeys) {
        if (task instanceof Task.Evaluate evaluate) {
            EventProgress progress = insertEvents(evaluate.events(), writes, waiting, evaluatedKeys);
            acknowledgements.add(() -> evaluate.done().complete(progress.outcome()));
        } else if (task instanceof Task.Enroll enroll) {
            Campaign campaign = session.campaign(enroll.campaignId());
            if (campaign == null || !campaign.isLive()) {
                enroll.done().completeExceptionally(Rejection.conflict("campaign '" + enroll.campaignId()
                        + "' is not live; only live campaigns take enrollments"));
                return;
            }
            EnrollOutcome outcome = enroll(campaign, enroll.enrollments(), writes);
            session.settle(); // a launch's audience is ready before its first events, not during them
            acknowledgements.add(() -> enroll.done().complete(outcome));
        } else if (task instanceof Task.Remove remove) {
            Enrollment removed = session.remove(remove.campaignId(), remove.userId());
            Optional<Exit> exit = Optional.ofNullable(removed)
                    .map(left -> leave(remove.campaignId(), remove.userId(), ExitReason.REMOVED, writes));
            exit.ifPresent(left -> reentry.left(session.campaign(remove.campaignId()), removed, left.exitedAt()));
            acknowledgements.add(() -> remove.done().complete(exit));
        } else if (task instanceof Task.LoadCampaign load) {
            session.putCampaign(load.campaign());
            acknowledgements.add(() -> load.done().complete(null));
        } else if (task instanceof Task.SwapRules swap) {
            // Between two batches, so no event is lost or evaluated twice across the switch.
            session.reset(swap.rules(), session.activeEnrollments());
            acknowledgements.add(() -> swap.done().complete(null));
        } else if (task instanceof Task.CountFacts count) {
            long facts = session.factCount();
            acknowledgements.add(() -> count.done().complete(facts));
        } else if (task instanceof Task.Load load) {
            load.enrollments().forEach(session::enroll);
            session.settle();
            acknowledgements.add(() -> load.done().complete(null));
        }
    }

    private EventProgress insertEvents(List<UserEvent> events, ChangeBatch writes, List<Waiting> waiting,
                                       LongArrayList evaluatedKeys) {
        EventProgress progress = new EventProgress();
        long now = clock.millis();
        for (UserEvent event : events) {
            long key = SeenEvents.fingerprint(event.getUserId(), event.getId());
            if (seen.contains(key)) {
                progress.duplicates++;
                continue;
            }
            if (!session.canTake(event)) {
                // A user's events are evaluated one fire at a time, in arrival order, so the first
                // one that converts is the one credited, whatever the batch size.
                evaluate(writes, waiting);
            }
            seen.add(key, now, now);
            evaluatedKeys.add(key);
            session.insert(event);
            waiting.add(new Waiting(event, key, progress));
        }
        return progress;
    }

    /**
     * Evaluates the events waiting in the session: each is kept (written) or set aside (a dead
     * letter, its key free again), and each conversion becomes an exit.
     */
    private void evaluate(ChangeBatch writes, List<Waiting> waiting) {
        ShardSession.Evaluation evaluation = session.evaluate();
        long now = clock.millis();
        String rulesVersion = session.rules().version();
        for (Waiting pending : waiting) {
            ShardSession.SetAside setAside = setAsideOf(pending.event(), evaluation.setAside());
            if (setAside == null) {
                writes.event(pending.event());
                pending.request().accepted++;
                continue;
            }
            seen.remove(pending.key());
            Rule rule = setAside.rule();
            FailedEvent failed = new FailedEvent(0, pending.event(), rule == null ? null : rule.getName(),
                    rule == null ? null : RulesLoader.sourceOf(rule), rulesVersion, setAside.reason(), now);
            writes.failed(failed);
            pending.request().failed(failed);
        }
        waiting.clear();
        for (ShardSession.Fired conversion : evaluation.conversions()) {
            Enrollment enrollment = conversion.conversion().enrollment();
            UserEvent event = conversion.conversion().event();
            Rule rule = conversion.rule();
            Campaign campaign = session.campaign(enrollment.getCampaignId());
            writes.exit(new Exit(0, UUID.randomUUID().toString(), enrollment.getCampaignId(), enrollment.getUserId(),
                    ExitReason.CONVERTED, conversion.conversionEvent(), event.getId(), event.getValue(),
                    new RuleRef(rule.getName(), RulesLoader.sourceOf(rule), rulesVersion), now,
                    heldOut(campaign, enrollment.getUserId())));
            reentry.left(campaign, enrollment, now);
        }
    }

    private static ShardSession.SetAside setAsideOf(UserEvent event, List<ShardSession.SetAside> setAside) {
        for (ShardSession.SetAside candidate : setAside) {
            if (candidate.event() == event) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Enrolls the users not active yet whom the campaign's re-entry rule lets in; each is held out or
     * not as the campaign's holdout says.
     */
    private EnrollOutcome enroll(Campaign campaign, List<Enrollment> enrollments, ChangeBatch writes) {
        int enrolled = 0;
        int alreadyActive = 0;
        int heldOut = 0;
        int refused = 0;
        List<EnrollOutcome.ReentryRefused> refusals = new ArrayList<>(0);
        long now = clock.millis();
        for (Enrollment enrollment : enrollments) {
            if (session.isEnrolled(campaign.id(), enrollment.getUserId())) {
                alreadyActive++;
                continue;
            }
            Optional<String> refusal = reentry.refusal(campaign, enrollment, now);
            if (refusal.isPresent()) {
                refused++;
                if (refusals.size() < EnrollOutcome.REFUSALS_SHOWN) {
                    refusals.add(new EnrollOutcome.ReentryRefused(enrollment.getUserId(), refusal.get()));
                }
                continue;
            }
            session.enroll(enrollment);
            boolean holdout = heldOut(campaign, enrollment.getUserId());
            writes.enrollment(enrollment, holdout);
            enrolled++;
            heldOut += holdout ? 1 : 0;
        }
        return new EnrollOutcome(enrolled, alreadyActive, refused, heldOut, refusals);
    }

    private static boolean heldOut(Campaign campaign, String userId) {
        return campaign != null && Holdout.holdsOut(campaign.id(), userId, campaign.holdoutPercent());
    }

    /** The exit of a user who left without converting. */
    private Exit leave(String campaignId, String userId, ExitReason reason, ChangeBatch writes) {
        Exit exit = new Exit(0, UUID.randomUUID().toString(), campaignId, userId, reason, null, null, 0, null,
                clock.millis(), heldOut(session.campaign(campaignId), userId));
        writes.exit(exit);
        return exit;
    }

    /**
     * After a failed batch the session may hold changes the store never got; start again from what
     * the store holds once the writes queued before the failure have landed.
     */
    private boolean rebuildFromStore() {
        try {
            // While the store cannot write, nothing is in flight: what it holds now is all there is.
            store.flush().exceptionally(unwritable -> null).join();
            List<Enrollment> owned = store.activeEnrollments().join().stream()
                    .filter(enrollment -> ownsUser.test(enrollment.getUserId())).toList();
            LongArrayList ids = new LongArrayList();
            long now = clock.millis();
            LongArrayList times = new LongArrayList();
            store.recentEventKeys(now - dedupeWindowMillis, (key, userHash, at) -> {
                if (ownsUserHash.test(userHash)) {
                    ids.add(key);
                    times.add(at);
                }
            }).join();
            seen.clear(now);
            for (int i = 0; i < ids.size(); i++) {
                seen.add(ids.getLong(i), times.getLong(i), now);
            }
            session.reset(session.rules(), owned);
            return true;
        } catch (RuntimeException e) {
            LOG.error("{} could not rebuild its session from the store; it refuses requests and tries again "
                    + "at the next one", name, e);
            return false;
        }
    }
}
