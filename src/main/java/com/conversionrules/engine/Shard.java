package com.conversionrules.engine;

import com.conversionrules.concurrent.SingleTakerQueue;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.Rejection;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.EngineStore;
import com.conversionrules.store.StoreUnavailableException;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
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
    private final ShardCore core;
    private final EngineStore store;
    private final Clock clock;
    private final Consumer<List<Exit>> exitsCommitted;
    private final Metrics metrics;
    private final int maxBatch;
    private final SingleTakerQueue<Task> queue = new SingleTakerQueue<>();
    private final int capacity;
    private final Semaphore room;
    private final long dedupeWindowMillis;

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
        this.core = new ShardCore(rules, dedupeWindowMillis, clock, metrics, store.openEnrollmentIndex());
        this.store = store;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.exitsCommitted = exitsCommitted;
        this.metrics = metrics;
        this.capacity = queueCapacity;
        this.room = new Semaphore(queueCapacity);
        this.dedupeWindowMillis = dedupeWindowMillis;
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

    /** Queues tasks in their order; the shard is woken once for all of them. */
    void submitAll(List<Task> tasks) {
        queue.addAll(tasks);
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
        queue.add(new Task.Load(List.of(), new CompletableFuture<>()));
    }

    /** Remembers an event id the store already holds; before the shard starts only. */
    void seen(long key, long receivedAt) {
        core.seen(key, receivedAt);
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
                queue.takeInto(batch, maxBatch);
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
            core.close();
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
        ShardCore.Step step = core.step();
        List<Runnable> acknowledgements = new ArrayList<>(batch.size());
        ChangeBatch writes;
        try {
            for (Task task : batch) {
                run(task, step, acknowledgements);
            }
            writes = step.finish();
        } catch (RuntimeException e) {
            // Not one event's fault (rule faults are set aside above): this service or its store failed.
            LOG.error("{} failed to process a batch; rebuilding its session from the store", name, e);
            step.abandon();
            batch.forEach(task -> task.done().completeExceptionally(e));
            diverged = !rebuildFromStore();
            return;
        }
        // Even a batch that changed nothing waits for the writes queued before it: a duplicate is
        // acknowledged only once the original is durable.
        store.commit(writes, builtAt).whenComplete((ignored, failure) -> {
            writes.exits().forEach(core::settled);
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
        ChangeBatch writes = core.campaignExits(next);
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
        change.done().complete(committed ? core.applyCampaign(next) : 0);
    }

    private boolean refusedWhileUnwritable(Task task) {
        if (task instanceof Task.Evaluate || task instanceof Task.Enroll || task instanceof Task.Remove) {
            task.done().completeExceptionally(new StoreUnavailableException(new IllegalStateException(
                    "the store cannot write at the moment (a full disk or an I/O error; see the service's log)")));
            return true;
        }
        return false;
    }

    /** Runs one task of a step; what it answers waits in {@code acknowledgements} until the step is durable. */
    private void run(Task task, ShardCore.Step step, List<Runnable> acknowledgements) {
        if (task instanceof Task.Evaluate evaluate) {
            ShardCore.EventProgress progress = step.events(evaluate.events());
            acknowledgements.add(() -> evaluate.done().complete(progress.outcome()));
            return;
        }
        // Whatever else touches the session comes after the events queued before it.
        step.evaluate();
        if (task instanceof Task.Enroll enroll) {
            EnrollOutcome outcome;
            try {
                outcome = step.enroll(enroll.campaignId(), enroll.enrollments());
            } catch (Rejection notLive) {
                enroll.done().completeExceptionally(notLive);
                return;
            }
            acknowledgements.add(() -> enroll.done().complete(outcome));
        } else if (task instanceof Task.Remove remove) {
            Optional<Exit> exit = step.remove(remove.campaignId(), remove.userId());
            acknowledgements.add(() -> remove.done().complete(exit));
        } else if (task instanceof Task.LoadCampaign load) {
            core.putCampaign(load.campaign());
            acknowledgements.add(() -> load.done().complete(null));
        } else if (task instanceof Task.SwapRules swap) {
            // Between two batches, so no event is lost or evaluated twice across the switch.
            core.swapRules(swap.rules());
            acknowledgements.add(() -> swap.done().complete(null));
        } else if (task instanceof Task.CountFacts count) {
            long facts = core.factCount();
            acknowledgements.add(() -> count.done().complete(facts));
        } else if (task instanceof Task.Load load) {
            core.load(load.enrollments());
            acknowledgements.add(() -> load.done().complete(null));
        }
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
            LongArrayList keys = new LongArrayList();
            LongArrayList times = new LongArrayList();
            store.recentEventKeys(clock.millis() - dedupeWindowMillis, (key, userHash, at) -> {
                if (ownsUserHash.test(userHash)) {
                    keys.add(key);
                    times.add(at);
                }
            }).join();
            core.forgetSeen();
            for (int i = 0; i < keys.size(); i++) {
                core.seen(keys.getLong(i), times.getLong(i));
            }
            core.reset(owned);
            return true;
        } catch (RuntimeException e) {
            LOG.error("{} could not rebuild its session from the store; it refuses requests and tries again "
                    + "at the next one", name, e);
            return false;
        }
    }
}
