package com.conversionrules.engine;

import com.conversionrules.campaign.CampaignLog;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.store.ChangeBatch;
import com.conversionrules.store.EngineStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The shards and the routing to them. A user always maps to the same shard, so all of a user's
 * facts meet in one session; campaign changes go to every shard.
 */
public final class Engine implements Intake, CampaignLog, ShardHealth, AutoCloseable {
    /** How many queued tasks one shard takes into a single batch. */
    public static final int DEFAULT_MAX_BATCH = 256;

    /** How long a campaign change waits for every shard to take its part. */
    private static final Duration PREPARE_WAIT = Duration.ofSeconds(30);
    /**
     * A turn hands over what it gathered once it holds this many items, not only at its end, so the
     * shards work while the loop reads on: a turn of large requests would otherwise keep them idle
     * until the loop had parsed every one.
     */
    private static final int TURN_ITEMS_MAX = 64;

    private final Shard[] shards;
    private final Metrics metrics;
    private final Thread[] threads;
    private final EngineStore store;
    private final Consumer<List<Exit>> exitsCommitted;
    private final Clock clock;
    private final Duration dedupeWindow;
    /**
     * Held while a task that spans shards is queued on each, so any two such tasks (a request and a
     * campaign change) reach every shard in the same order.
     */
    private final Object submitting = new Object();
    private final ThreadLocal<TurnTasks> turnTasks;
    private volatile Turns turns = Turns.NONE;

    /** How long an event id stays known for dedupe unless told otherwise. */
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofDays(7);

    public Engine(LoadedRules rules, EngineStore store, int shardCount, int maxBatch, int queueCapacity, Clock clock,
                  Consumer<List<Exit>> exitsCommitted, Metrics metrics) {
        this(rules, store, shardCount, maxBatch, queueCapacity, DEFAULT_DEDUPE_WINDOW, clock, exitsCommitted, metrics);
    }

    /**
     * @param exitsCommitted given each commit's exits once they are durable (from a store thread; the
     *                       list does not change afterwards): the sender sends them from memory
     */
    public Engine(LoadedRules rules, EngineStore store, int shardCount, int maxBatch, int queueCapacity,
                  Duration dedupeWindow, Clock clock, Consumer<List<Exit>> exitsCommitted, Metrics metrics) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("at least one shard is needed, got " + shardCount);
        }
        this.metrics = metrics;
        this.store = store;
        this.exitsCommitted = exitsCommitted;
        this.clock = clock;
        this.dedupeWindow = dedupeWindow;
        shards = new Shard[shardCount];
        turnTasks = ThreadLocal.withInitial(() -> new TurnTasks(shardCount));
        threads = new Thread[shardCount];
        for (int i = 0; i < shardCount; i++) {
            int index = i;
            shards[i] = new Shard(i, rules, userId -> shardOf(userId) == index,
                    userHash -> Math.floorMod(userHash, shardCount) == index, store, clock, maxBatch,
                    queueCapacity, dedupeWindow.toMillis(), exitsCommitted, metrics);
            threads[i] = new Thread(shards[i], shards[i].name());
            Shard shard = shards[i];
            metrics.gauge("conversion_shard_queue_depth", "Events and enrollments waiting in a shard's queue",
                    "shard", shard.name(), shard::queueDepth);
        }
    }

    /**
     * Reads back the event ids the store holds from the dedupe window, so an event sent again after
     * a restart is still a duplicate. Before {@link #start()}.
     */
    public CompletableFuture<Void> rememberStoredEvents() {
        long since = clock.millis() - dedupeWindow.toMillis();
        return store.recentEventKeys(since, (key, userHash, receivedAt) ->
                shards[Math.floorMod(userHash, shards.length)].seen(key, receivedAt));
    }

    /**
     * Queues the requests admitted in one turn of a thread together at its end (see {@link Turns}).
     * Measured at 256 connections of single-event requests: a shard woke every two or three events
     * before; after, the service spent about 3 us less CPU a request (of about 30).
     */
    public void queueByTurn(Turns turns) {
        this.turns = turns;
    }

    public void start() {
        for (Thread thread : threads) {
            thread.start();
        }
    }

    public int shardCount() {
        return shards.length;
    }

    /** A user's shard; the store keeps user ids' hash codes beside their event keys to find it again. */
    public int shardOf(String userId) {
        return Math.floorMod(userId.hashCode(), shards.length);
    }

    /** Evaluates events; completes once every new one is durable and evaluated. */
    @Override
    public CompletableFuture<EventsOutcome> evaluate(List<UserEvent> events) {
        return admitted(events, UserEvent::getUserId, Task.Evaluate::new, EventsOutcome::plus, new EventsOutcome(0, 0))
                .thenApply(outcome -> {
                    metrics.eventsEvaluated(outcome.accepted(), outcome.duplicates());
                    return outcome;
                });
    }

    /** Enrolls users into a live campaign; completes once the new enrollments are durable. */
    @Override
    public CompletableFuture<EnrollOutcome> enroll(String campaignId, List<Enrollment> enrollments) {
        return admitted(enrollments, Enrollment::getUserId,
                (part, done) -> new Task.Enroll(campaignId, part, done), EnrollOutcome::plus, EnrollOutcome.NONE);
    }

    /** Removes a user from a campaign; empty when the user had no active enrollment there. */
    @Override
    public CompletableFuture<Optional<Exit>> remove(String campaignId, String userId) {
        int shard = shardOf(userId);
        if (!shards[shard].tryAdmit(1)) {
            throw busy();
        }
        CompletableFuture<Optional<Exit>> done = new CompletableFuture<>();
        TurnTasks turn = thisTurn();
        queue(turn, shard, new Task.Remove(campaignId, userId, done));
        handOverIfFull(turn);
        return done;
    }

    /** Puts a campaign read back from the store into every session; writes nothing. */
    @Override
    public CompletableFuture<Void> loadCampaign(Campaign campaign) {
        return toEveryShard(done -> new Task.LoadCampaign(campaign, done), (a, b) -> null, null);
    }

    /**
     * Makes a campaign change on every shard or on none. Each shard, at its place in its queue, says
     * what the change writes there (the exits of the users a campaign that ends takes out) and waits;
     * the campaign's row ({@code campaignRow}) and every part are written in one commit; then each
     * shard applies the change to its session, or, if the commit failed, leaves it as it was.
     * Completes with the enrollments the change ended, or fails with nothing changed anywhere.
     *
     * @param isNew whether the campaign is stored for the first time
     */
    @Override
    public CompletableFuture<Integer> changeCampaign(Campaign next, boolean isNew) {
        CompletableFuture<Boolean> decision = new CompletableFuture<>();
        List<Task.ChangeCampaign> tasks = new ArrayList<>(shards.length);
        synchronized (submitting) {
            for (Shard shard : shards) {
                Task.ChangeCampaign task = new Task.ChangeCampaign(next, new CompletableFuture<>(), decision,
                        new CompletableFuture<>());
                shard.submit(task);
                tasks.add(task);
            }
        }
        CompletableFuture<Void> prepared = CompletableFuture.allOf(tasks.stream().map(Task.ChangeCampaign::prepared)
                .toArray(CompletableFuture[]::new)).orTimeout(PREPARE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        List<Exit> exits = new ArrayList<>();
        CompletableFuture<Void> committed = prepared.thenCompose(ready -> {
            List<CampaignPart> parts = tasks.stream().map(task -> task.prepared().join()).toList();
            long builtAt = parts.stream().mapToLong(CampaignPart::builtAt).min().orElse(store.epoch());
            parts.forEach(part -> exits.addAll(part.exits()));
            ChangeBatch change = new ChangeBatch(clock.millis());
            change.campaign(next, isNew);
            parts.forEach(part -> change.addAll(part.writes()));
            return store.commit(change, builtAt);
        });
        return committed.handle((ok, failure) -> {
            decision.complete(failure == null);
            if (failure != null) {
                throw new CompletionException(failure instanceof TimeoutException
                        ? Rejection.unavailable("a shard did not take the change within "
                        + PREPARE_WAIT.toSeconds() + " s (see GET /health/ready); nothing was changed, retry later")
                        : unwrap(failure));
            }
            if (!exits.isEmpty()) {
                metrics.exitsCommitted(exits);
                exitsCommitted.accept(exits);
            }
            return exits.size();
        }).thenCompose(ended -> CompletableFuture.allOf(tasks.stream().map(Task.ChangeCampaign::done)
                .toArray(CompletableFuture[]::new)).thenApply(applied -> ended));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Loads enrollments read back from the store; used while rebuilding the sessions at start. */
    public CompletableFuture<Void> load(List<Enrollment> enrollments) {
        List<List<Enrollment>> parts = split(enrollments, Enrollment::getUserId);
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (int i = 0; i < shards.length; i++) {
            if (!parts.get(i).isEmpty()) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                shards[i].submit(new Task.Load(parts.get(i), done));
                loads.add(done);
            }
        }
        return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new));
    }

    /** Moves every session to newly loaded rules, between batches; completes when all have moved. */
    @Override
    public CompletableFuture<Void> swapRules(LoadedRules rules) {
        return toEveryShard(done -> new Task.SwapRules(rules, done), (a, b) -> null, null);
    }

    /** How many facts the sessions hold in all: it follows campaigns and active enrollments only. */
    public CompletableFuture<Long> factCount() {
        return toEveryShard(Task.CountFacts::new, Long::sum, 0L);
    }

    /** Queues a task on every shard (never refused) and combines what they answer. */
    private <R> CompletableFuture<R> toEveryShard(Function<CompletableFuture<R>, Task> task, BinaryOperator<R> combine,
                                                  R empty) {
        CompletableFuture<R> result = CompletableFuture.completedFuture(empty);
        synchronized (submitting) {
            for (Shard shard : shards) {
                CompletableFuture<R> done = new CompletableFuture<>();
                shard.submit(task.apply(done));
                result = result.thenCombine(done, combine);
            }
        }
        return result;
    }

    /**
     * Shards stuck in one batch for longer than {@code limit}, or whose thread ended, each described
     * for an operator ("shard-1 has been in one batch for 12 s"). Empty when all make progress.
     */
    @Override
    public List<String> stalled(Duration limit) {
        List<String> stalled = new ArrayList<>();
        for (int i = 0; i < shards.length; i++) {
            long busy = shards[i].busyNanos();
            if (!threads[i].isAlive() && threads[i].getState() != Thread.State.NEW) {
                stalled.add(shards[i].name() + " has stopped");
            } else if (busy > limit.toNanos()) {
                stalled.add(shards[i].name() + " has been in one batch for " + TimeUnit.NANOSECONDS.toSeconds(busy)
                        + " s (a rule that blocks or runs for ever?)");
            }
        }
        return stalled;
    }

    public int queueDepth(int shard) {
        return shards[shard].queueDepth();
    }

    /** Finishes what is queued, then disposes every session. */
    @Override
    public void close() {
        for (Shard shard : shards) {
            shard.stop();
        }
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds a shard's task from its part of a request. */
    private interface TaskFactory<T, R> {
        Task of(List<T> part, CompletableFuture<R> done);
    }

    /**
     * Splits a request by shard and queues its parts only if every shard concerned has room for
     * its part: a request the engine cannot take is refused whole, with nothing applied.
     */
    private <T, R> CompletableFuture<R> admitted(List<T> items, Function<T, String> userOf, TaskFactory<T, R> factory,
                                                 BinaryOperator<R> combine, R empty) {
        List<List<T>> parts = split(items, userOf);
        for (int i = 0; i < shards.length; i++) {
            if (!parts.get(i).isEmpty() && !shards[i].tryAdmit(parts.get(i).size())) {
                for (int j = 0; j < i; j++) {
                    if (!parts.get(j).isEmpty()) {
                        shards[j].release(parts.get(j).size());
                    }
                }
                throw busy();
            }
        }
        List<CompletableFuture<R>> dones = new ArrayList<>();
        TurnTasks turn = thisTurn();
        synchronized (submitting) {
            for (int i = 0; i < shards.length; i++) {
                if (!parts.get(i).isEmpty()) {
                    CompletableFuture<R> done = new CompletableFuture<>();
                    queue(turn, i, factory.of(parts.get(i), done));
                    dones.add(done);
                }
            }
        }
        handOverIfFull(turn);
        return PartlyApplied.combine(dones, combine, empty);
    }

    /** Queues a request's task on its shard, or gathers it for the end of the turn when there is one. */
    private void queue(TurnTasks turn, int shard, Task task) {
        if (turn != null) {
            turn.add(shard, task);
        } else {
            shards[shard].submit(task);
        }
    }

    /**
     * Where the calling thread gathers the tasks of its current turn, queued at the turn's end (all at
     * once, so a request spanning shards still reaches each in the same order as a campaign change);
     * null when the thread takes no turns.
     */
    private TurnTasks thisTurn() {
        Turns current = turns;
        if (current == Turns.NONE) {
            return null;
        }
        TurnTasks turn = turnTasks.get();
        if (!turn.endArranged()) {
            if (!current.atEndOfTurn(() -> endTurn(turn))) {
                return null;
            }
            turn.endArranged(true);
        }
        return turn;
    }

    private void endTurn(TurnTasks turn) {
        turn.endArranged(false);
        handOver(turn);
    }

    private void handOverIfFull(TurnTasks turn) {
        if (turn != null && turn.items() >= TURN_ITEMS_MAX) {
            handOver(turn);
        }
    }

    /** Queues everything the turn gathered, on every shard at once. */
    private void handOver(TurnTasks turn) {
        synchronized (submitting) {
            turn.queueOn(shards);
        }
    }

    private <T> List<List<T>> split(List<T> items, Function<T, String> userOf) {
        List<List<T>> parts = new ArrayList<>(shards.length);
        for (int i = 0; i < shards.length; i++) {
            parts.add(new ArrayList<>());
        }
        for (T item : items) {
            parts.get(shardOf(userOf.apply(item))).add(item);
        }
        return parts;
    }

    private static Rejection busy() {
        return Rejection.tooBusy("the engine is behind: nothing of this request was applied; retry after a second");
    }
}
