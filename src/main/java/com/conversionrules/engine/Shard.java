package com.conversionrules.engine;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.RuleRef;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.PolicyContract;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.EnrollmentRecords;
import com.conversionrules.store.EventRecords;
import com.conversionrules.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.rule.ConsequenceException;
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

    private final String name;
    private final Predicate<String> ownsUser;
    private final ShardSession session;
    private final Store store;
    private final Clock clock;
    private final Runnable exitsCommitted;
    private final Metrics metrics;
    private final int maxBatch;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private final Semaphore room;
    private final Connection dedupeConnection;
    private final PreparedStatement seenBefore;
    /** Event keys evaluated but not yet durable, so a quick retry is still seen as a duplicate. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    Shard(int index, LoadedRules rules, Predicate<String> ownsUser, Store store, Clock clock, int maxBatch,
          int queueCapacity, Runnable exitsCommitted, Metrics metrics) throws SQLException {
        this.name = "shard-" + index;
        this.ownsUser = ownsUser;
        this.session = new ShardSession(rules, metrics);
        this.store = store;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.exitsCommitted = exitsCommitted;
        this.metrics = metrics;
        this.capacity = queueCapacity;
        this.room = new Semaphore(queueCapacity);
        this.dedupeConnection = store.openReader();
        this.seenBefore = EventRecords.prepareExists(dedupeConnection);
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

    @Override
    public void run() {
        List<Task> batch = new ArrayList<>(maxBatch);
        try {
            while (running || !queue.isEmpty()) {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                batch.forEach(task -> release(task.items()));
                process(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session.dispose();
            try {
                dedupeConnection.close();
            } catch (SQLException e) {
                LOG.warn("Closing the dedupe connection of {} failed", name, e);
            }
        }
    }

    private void process(List<Task> batch) {
        ShardWrites writes = new ShardWrites(clock.millis());
        List<Runnable> acknowledgements = new ArrayList<>(batch.size());
        List<String> evaluatedKeys = new ArrayList<>();
        try {
            for (Task task : batch) {
                if (!(task instanceof Task.Evaluate)) {
                    evaluate(writes);
                }
                run(task, writes, acknowledgements, evaluatedKeys);
            }
            evaluate(writes);
        } catch (RuntimeException | SQLException e) {
            LOG.error("{} failed to process a batch; rebuilding its session from the store", name, e);
            inFlight.removeAll(evaluatedKeys);
            Throwable failure = e instanceof ConsequenceException consequence
                    ? new RuleFailedException(consequence.getRule().getName(), consequence) : e;
            batch.forEach(task -> task.done().completeExceptionally(failure));
            rebuildFromStore();
            return;
        }
        // Even a batch that changed nothing waits for the writes queued before it: a duplicate is
        // acknowledged only once the original is durable.
        store.write(writes, true).whenComplete((ignored, failure) -> {
            inFlight.removeAll(evaluatedKeys);
            if (failure != null) {
                batch.forEach(task -> task.done().completeExceptionally(failure));
                return;
            }
            acknowledgements.forEach(Runnable::run);
            if (!writes.exits().isEmpty()) {
                metrics.exitsCommitted(writes.exits());
                exitsCommitted.run();
            }
        });
    }

    private void run(Task task, ShardWrites writes, List<Runnable> acknowledgements, List<String> evaluatedKeys)
            throws SQLException {
        if (task instanceof Task.Evaluate evaluate) {
            EventsOutcome outcome = insertEvents(evaluate.events(), writes, evaluatedKeys);
            acknowledgements.add(() -> evaluate.done().complete(outcome));
        } else if (task instanceof Task.Enroll enroll) {
            Campaign campaign = session.campaign(enroll.campaignId());
            if (campaign == null || !campaign.isLive()) {
                enroll.done().completeExceptionally(Rejection.conflict("campaign '" + enroll.campaignId()
                        + "' is not live; only live campaigns take enrollments"));
                return;
            }
            EnrollOutcome outcome = enroll(enroll.enrollments(), writes);
            session.settle(); // a launch's audience is ready before its first events, not during them
            acknowledgements.add(() -> enroll.done().complete(outcome));
        } else if (task instanceof Task.Remove remove) {
            Optional<Exit> exit = session.remove(remove.campaignId(), remove.userId())
                    ? Optional.of(leave(remove.campaignId(), remove.userId(), ExitReason.REMOVED, writes))
                    : Optional.empty();
            acknowledgements.add(() -> remove.done().complete(exit));
        } else if (task instanceof Task.PutCampaign put) {
            session.putCampaign(put.campaign());
            acknowledgements.add(() -> put.done().complete(null));
        } else if (task instanceof Task.EndCampaign end) {
            session.putCampaign(end.ended());
            List<String> users = session.removeAll(end.ended().id());
            users.forEach(userId -> leave(end.ended().id(), userId, ExitReason.CAMPAIGN_ENDED, writes));
            acknowledgements.add(() -> end.done().complete(users.size()));
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

    private EventsOutcome insertEvents(List<UserEvent> events, ShardWrites writes, List<String> evaluatedKeys)
            throws SQLException {
        int accepted = 0;
        for (UserEvent event : events) {
            String key = event.getUserId() + '\u0000' + event.getId();
            if (inFlight.contains(key) || EventRecords.exists(seenBefore, event.getUserId(), event.getId())) {
                continue;
            }
            if (!session.canTake(event)) {
                // A user's events are evaluated one fire at a time, in arrival order, so the first
                // one that converts is the one credited, whatever the batch size.
                evaluate(writes);
            }
            inFlight.add(key);
            evaluatedKeys.add(key);
            session.insert(event);
            writes.event(event);
            accepted++;
        }
        return new EventsOutcome(accepted, events.size() - accepted);
    }

    /** Evaluates the events waiting in the session and writes an exit for each conversion. */
    private void evaluate(ShardWrites writes) {
        List<ShardSession.Fired> conversions = session.evaluate();
        if (conversions.isEmpty()) {
            return;
        }
        long now = clock.millis();
        String rulesVersion = session.rules().version();
        for (ShardSession.Fired conversion : conversions) {
            Enrollment enrollment = conversion.conversion().enrollment();
            UserEvent event = conversion.conversion().event();
            Rule rule = conversion.rule();
            writes.exit(new Exit(0, UUID.randomUUID().toString(), enrollment.getCampaignId(), enrollment.getUserId(),
                    ExitReason.CONVERTED, conversionEventOf(conversion), event.getId(), event.getValue(),
                    new RuleRef(rule.getName(), RulesLoader.sourceOf(rule), rulesVersion), now));
        }
    }

    private String conversionEventOf(ShardSession.Fired conversion) {
        Object declared = conversion.rule().getMetaData().get(PolicyContract.CONVERSION_EVENT);
        if (declared != null) {
            return declared.toString();
        }
        Campaign campaign = session.campaign(conversion.conversion().enrollment().getCampaignId());
        return campaign == null ? null : campaign.conversionEvent();
    }

    private EnrollOutcome enroll(List<Enrollment> enrollments, ShardWrites writes) {
        int enrolled = 0;
        for (Enrollment enrollment : enrollments) {
            if (session.enroll(enrollment)) {
                writes.enrollment(enrollment);
                enrolled++;
            }
        }
        return new EnrollOutcome(enrolled, enrollments.size() - enrolled);
    }

    /** The exit of a user who left without converting. */
    private Exit leave(String campaignId, String userId, ExitReason reason, ShardWrites writes) {
        Exit exit = new Exit(0, UUID.randomUUID().toString(), campaignId, userId, reason, null, null, 0, null,
                clock.millis());
        writes.exit(exit);
        return exit;
    }

    /**
     * After a failed batch the session may hold changes the store never got; start again from what
     * the store holds once the writes queued before the failure have landed.
     */
    private void rebuildFromStore() {
        try {
            store.flush().join();
            List<Enrollment> owned = store.read(connection -> {
                List<Enrollment> enrollments = new ArrayList<>();
                EnrollmentRecords.forEachActive(connection, enrollment -> {
                    if (ownsUser.test(enrollment.getUserId())) {
                        enrollments.add(enrollment);
                    }
                });
                return enrollments;
            }).join();
            session.reset(session.rules(), owned);
        } catch (RuntimeException e) {
            LOG.error("{} could not rebuild its session; restart the service", name, e);
        }
    }
}
