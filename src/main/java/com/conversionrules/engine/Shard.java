package com.conversionrules.engine;

import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.Campaign;
import com.conversionrules.model.Conversion;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.ExitReason;
import com.conversionrules.model.Rejection;
import com.conversionrules.model.RuleRef;
import com.conversionrules.model.UserEvent;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RuleSources;
import com.conversionrules.store.EnrollmentRecords;
import com.conversionrules.store.EventRecords;
import com.conversionrules.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine thread owning one KieSession. It drains its queue in batches: events are inserted
 * together and evaluated with one {@code fireAllRules}, then leave the session at once; everything
 * the batch changed goes to the store as one write, and the batch's callers hear back only after
 * that write is durable.
 */
final class Shard implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Shard.class);
    /** The channel the policies' right-hand sides send conversions to. */
    static final String SENDER_CHANNEL = "sender";
    private static final String META_CONVERSION_EVENT = "conversionEvent";

    private record Fired(Conversion conversion, Rule rule) {
    }

    private final String name;
    private LoadedRules rules;
    private final Predicate<String> ownsUser;
    private KieSession session;
    private final Store store;
    private final Clock clock;
    private final Runnable exitsCommitted;
    private final Metrics metrics;
    private final int maxBatch;
    private final BlockingQueue<Task> queue;
    private final int capacity;
    private final Semaphore room;
    private final Connection dedupeConnection;
    private final PreparedStatement seenBefore;

    private final Map<String, FactHandle> campaignHandles = new HashMap<>();
    private final Map<String, Campaign> campaigns = new HashMap<>();
    /** Active enrollments by campaign, then user. */
    private final Map<String, Map<String, FactHandle>> active = new HashMap<>();
    /** Event keys evaluated but not yet durable, so a quick retry is still seen as a duplicate. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final List<FactHandle> pendingEvents = new ArrayList<>();
    /** Users with an event in {@link #pendingEvents}: a user's second event waits for the next fire. */
    private final Set<String> pendingUsers = new HashSet<>();
    private final List<Fired> fired = new ArrayList<>();
    private Rule firing;
    private volatile boolean running = true;

    Shard(int index, LoadedRules rules, Predicate<String> ownsUser, Store store, Clock clock, int maxBatch,
          int queueCapacity, Runnable exitsCommitted, Metrics metrics) throws SQLException {
        this.name = "shard-" + index;
        this.rules = rules;
        this.ownsUser = ownsUser;
        this.store = store;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.exitsCommitted = exitsCommitted;
        this.metrics = metrics;
        this.queue = new LinkedBlockingQueue<>();
        this.capacity = queueCapacity;
        this.room = new Semaphore(queueCapacity);
        this.dedupeConnection = store.openReader();
        this.seenBefore = EventRecords.prepareExists(dedupeConnection);
        this.session = newSession();
    }

    private KieSession newSession() {
        KieSession created = rules.kieBase().newKieSession();
        created.registerChannel(SENDER_CHANNEL, conversion -> fired.add(new Fired((Conversion) conversion, firing)));
        created.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firing = event.getMatch().getRule();
                metrics.ruleFired(firing.getName());
            }
        });
        return created;
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
                    evaluatePending(writes);
                }
                run(task, writes, acknowledgements, evaluatedKeys);
            }
            evaluatePending(writes);
        } catch (RuntimeException | SQLException e) {
            LOG.error("{} failed to process a batch; rebuilding its session from the store", name, e);
            inFlight.removeAll(evaluatedKeys);
            batch.forEach(task -> task.done().completeExceptionally(e));
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

    /**
     * After a failed batch the session may hold changes the store never got; start again from what
     * the store holds once the writes queued before the failure have landed.
     */
    private void rebuildFromStore() {
        pendingEvents.clear();
        pendingUsers.clear();
        fired.clear();
        try {
            store.write(connection -> { }, false).join();
            List<Enrollment> owned = store.read(connection -> {
                List<Enrollment> enrollments = new ArrayList<>();
                EnrollmentRecords.forEachActive(connection, enrollment -> {
                    if (ownsUser.test(enrollment.getUserId())) {
                        enrollments.add(enrollment);
                    }
                });
                return enrollments;
            }).join();
            replaceSession(owned);
        } catch (RuntimeException e) {
            LOG.error("{} could not rebuild its session; restart the service", name, e);
        }
    }

    /**
     * Runs between batches, so no event is lost or evaluated twice across the switch; events never
     * stay in the session, so moving the campaigns and enrollments over is the whole state.
     */
    private void swapRules(LoadedRules next) {
        List<Enrollment> enrollments = new ArrayList<>();
        active.values().forEach(users -> users.values()
                .forEach(handle -> enrollments.add((Enrollment) session.getObject(handle))));
        rules = next;
        replaceSession(enrollments);
    }

    /** A fresh session from the current rules, holding the campaigns and the given enrollments. */
    private void replaceSession(List<Enrollment> enrollments) {
        session.dispose();
        session = newSession();
        campaignHandles.clear();
        active.clear();
        campaigns.values().forEach(campaign -> campaignHandles.put(campaign.id(), session.insert(campaign)));
        enrollments.forEach(this::insertEnrollment);
    }

    private void run(Task task, ShardWrites writes, List<Runnable> acknowledgements, List<String> evaluatedKeys)
            throws SQLException {
        if (task instanceof Task.Evaluate evaluate) {
            EventsOutcome outcome = insertEvents(evaluate.events(), writes, evaluatedKeys);
            acknowledgements.add(() -> evaluate.done().complete(outcome));
        } else if (task instanceof Task.Enroll enroll) {
            Campaign campaign = campaigns.get(enroll.campaignId());
            if (campaign == null || !campaign.isLive()) {
                enroll.done().completeExceptionally(Rejection.conflict("campaign '" + enroll.campaignId()
                        + "' is not live; only live campaigns take enrollments"));
                return;
            }
            EnrollOutcome outcome = enroll(enroll.enrollments(), writes);
            acknowledgements.add(() -> enroll.done().complete(outcome));
        } else if (task instanceof Task.Remove remove) {
            Optional<Exit> exit = leave(remove.campaignId(), remove.userId(), ExitReason.REMOVED, writes);
            acknowledgements.add(() -> remove.done().complete(exit));
        } else if (task instanceof Task.PutCampaign put) {
            putCampaign(put.campaign());
            acknowledgements.add(() -> put.done().complete(null));
        } else if (task instanceof Task.EndCampaign end) {
            putCampaign(end.ended());
            int ended = endEnrollments(end.ended().id(), writes);
            acknowledgements.add(() -> end.done().complete(ended));
        } else if (task instanceof Task.SwapRules swap) {
            swapRules(swap.rules());
            acknowledgements.add(() -> swap.done().complete(null));
        } else if (task instanceof Task.CountFacts count) {
            long facts = session.getFactCount();
            acknowledgements.add(() -> count.done().complete(facts));
        } else if (task instanceof Task.Load load) {
            load.enrollments().forEach(this::insertEnrollment);
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
            if (!pendingUsers.add(event.getUserId())) {
                // Evaluate a user's events one fire at a time, in arrival order, so the first one
                // that converts is the one credited, whatever the batch size.
                evaluatePending(writes);
                pendingUsers.add(event.getUserId());
            }
            inFlight.add(key);
            evaluatedKeys.add(key);
            pendingEvents.add(session.insert(event));
            writes.event(event);
            accepted++;
        }
        return new EventsOutcome(accepted, events.size() - accepted);
    }

    /** Fires the rules over the events inserted since the last call, then takes the events out. */
    private void evaluatePending(ShardWrites writes) {
        if (pendingEvents.isEmpty()) {
            return;
        }
        session.fireAllRules();
        long now = clock.millis();
        for (Fired conversion : fired) {
            Enrollment enrollment = conversion.conversion().enrollment();
            UserEvent event = conversion.conversion().event();
            forgetActive(enrollment.getCampaignId(), enrollment.getUserId());
            Rule rule = conversion.rule();
            writes.exit(new Exit(0, UUID.randomUUID().toString(), enrollment.getCampaignId(), enrollment.getUserId(),
                    ExitReason.CONVERTED, conversionEventOf(conversion), event.getId(), event.getValue(),
                    new RuleRef(rule.getName(), RuleSources.fileOf(rule), rules.version()), now));
        }
        fired.clear();
        pendingEvents.forEach(session::delete);
        pendingEvents.clear();
        pendingUsers.clear();
    }

    private String conversionEventOf(Fired conversion) {
        Object declared = conversion.rule().getMetaData().get(META_CONVERSION_EVENT);
        if (declared != null) {
            return declared.toString();
        }
        Campaign campaign = campaigns.get(conversion.conversion().enrollment().getCampaignId());
        return campaign == null ? null : campaign.conversionEvent();
    }

    private EnrollOutcome enroll(List<Enrollment> enrollments, ShardWrites writes) {
        int enrolled = 0;
        for (Enrollment enrollment : enrollments) {
            if (insertEnrollment(enrollment)) {
                writes.enrollment(enrollment);
                enrolled++;
            }
        }
        return new EnrollOutcome(enrolled, enrollments.size() - enrolled);
    }

    private boolean insertEnrollment(Enrollment enrollment) {
        Map<String, FactHandle> users = active.computeIfAbsent(enrollment.getCampaignId(), id -> new HashMap<>());
        if (users.containsKey(enrollment.getUserId())) {
            return false;
        }
        users.put(enrollment.getUserId(), session.insert(enrollment));
        return true;
    }

    private Optional<Exit> leave(String campaignId, String userId, ExitReason reason, ShardWrites writes) {
        Map<String, FactHandle> users = active.get(campaignId);
        FactHandle handle = users == null ? null : users.remove(userId);
        if (handle == null) {
            return Optional.empty();
        }
        session.delete(handle);
        Exit exit = new Exit(0, UUID.randomUUID().toString(), campaignId, userId, reason, null, null, 0, null,
                clock.millis());
        writes.exit(exit);
        return Optional.of(exit);
    }

    private int endEnrollments(String campaignId, ShardWrites writes) {
        Map<String, FactHandle> users = active.remove(campaignId);
        if (users == null) {
            return 0;
        }
        long now = clock.millis();
        users.forEach((userId, handle) -> {
            session.delete(handle);
            writes.exit(new Exit(0, UUID.randomUUID().toString(), campaignId, userId, ExitReason.CAMPAIGN_ENDED,
                    null, null, 0, null, now));
        });
        return users.size();
    }

    private void forgetActive(String campaignId, String userId) {
        Map<String, FactHandle> users = active.get(campaignId);
        if (users != null) {
            users.remove(userId);
        }
    }

    private void putCampaign(Campaign campaign) {
        FactHandle handle = campaignHandles.get(campaign.id());
        if (handle == null) {
            campaignHandles.put(campaign.id(), session.insert(campaign));
        } else {
            session.update(handle, campaign);
        }
        campaigns.put(campaign.id(), campaign);
    }
}
