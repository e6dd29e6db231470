package com.conversionrules.bench.storage;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The benchmark's input, the same for every candidate (same seed): users enrolled in bulk, one
 * campaign each out of 50, then events spread over {@link #WINDOW} (7 days, the dedupe window) in
 * group commits of shard batches of {@link #SHARD_BATCH}. About 1% of events are retries of an
 * event an earlier commit stored; 5% of the others are orders from an active user, each making an
 * exit and an enrollment status change. Keys are about 30 bytes (user and event id), events about
 * 150 bytes with their properties, exits about 200.
 */
final class EventStream {
    static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final long WINDOW = 7L * 24 * 3600 * 1000;
    static final int SHARD_BATCH = 100;
    static final int CAMPAIGNS = 50;
    static final String ORDER = "Placed Order";
    /** Event names, and the share of events (in percent) of each, converting orders aside. */
    static final String[] NAMES = {"Viewed Product", "Opened Email", "Active on Site", "Clicked Email", "Added to Cart",
        ORDER, "Clicked SMS", "Started Checkout"};
    private static final int[] PERCENT = {32, 20, 20, 10, 8, 4, 3, 3};
    private static final double RETRIES = 0.01;
    private static final double EXITS = 0.05;
    private static final int RECENT = 1 << 16;

    /** One shard batch as the engine would hand it to the writer: its events and the exits they made. */
    record Generated(List<StoredEvent> events, List<StoredExit> exits) {
    }

    private final SplittableRandom random;
    private final int users;
    private final long plannedEvents;
    private final BitSet active = new BitSet();
    /** Events of earlier commits that a client may send again. */
    private final StoredEvent[] recent = new StoredEvent[RECENT];
    private long recentCount;
    private long produced;
    private long exits;

    EventStream(int users, long plannedEvents, long seed) {
        this.users = users;
        this.plannedEvents = plannedEvents;
        this.random = new SplittableRandom(seed);
    }

    static String userId(int user) {
        return "user-" + user;
    }

    static String campaignOf(int user) {
        return "c" + (user % CAMPAIGNS);
    }

    int users() {
        return users;
    }

    long exits() {
        return exits;
    }

    int activeCount() {
        return active.cardinality();
    }

    /** Users {@code from} (inclusive) to {@code to}, enrolled the day before the events start. */
    List<StoredEnrollment> enrollments(int from, int to) {
        List<StoredEnrollment> chunk = new ArrayList<>(to - from);
        for (int user = from; user < to; user++) {
            chunk.add(new StoredEnrollment(campaignOf(user), userId(user), START - 86_400_000L));
            active.set(user);
        }
        return chunk;
    }

    /** The shard batches of the next group commit, {@code events} events in all. */
    List<Generated> commit(int events) {
        List<Generated> batches = new ArrayList<>();
        List<StoredEvent> fresh = new ArrayList<>(events);
        for (int done = 0; done < events; done += SHARD_BATCH) {
            int size = Math.min(SHARD_BATCH, events - done);
            List<StoredEvent> batch = new ArrayList<>(size);
            List<StoredExit> batchExits = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (recentCount > 0 && random.nextDouble() < RETRIES) {
                    StoredEvent again = recent[(int) (random.nextLong(Math.min(recentCount, RECENT)))];
                    batch.add(new StoredEvent(again.userId(), again.eventId(), again.name(), again.time(),
                            again.campaignId(), again.properties(), again.receivedAt(), true));
                    produced++;
                    continue;
                }
                StoredEvent event = next(batchExits);
                batch.add(event);
                fresh.add(event);
            }
            batches.add(new Generated(batch, batchExits));
        }
        for (StoredEvent event : fresh) {
            recent[(int) (recentCount++ % RECENT)] = event;
        }
        return batches;
    }

    private StoredEvent next(List<StoredExit> batchExits) {
        long time = START + produced * WINDOW / Math.max(1, plannedEvents) + random.nextLong(60_000);
        long receivedAt = time + random.nextLong(2_000);
        produced++;
        String eventId = "ev-" + Long.toHexString(random.nextLong() | (1L << 63));
        int user = random.nextInt(users);
        if (random.nextDouble() < EXITS) {
            int converting = activeUser();
            if (converting >= 0) {
                active.clear(converting);
                exits++;
                StoredEvent order = order(converting, eventId, time, receivedAt);
                batchExits.add(new StoredExit(new UUID(random.nextLong(), random.nextLong()).toString(),
                        campaignOf(converting), order.userId(), "converted", "placed_order", eventId, 42.5,
                        "A placed order converts the user", "placed-order.drl", "sha256:" + Long.toHexString(random.nextLong()),
                        receivedAt));
                return order;
            }
        }
        String name = name();
        if (ORDER.equals(name)) {
            return order(user, eventId, time, receivedAt);
        }
        String campaignId = name.contains("Email") || name.contains("SMS") ? campaignOf(user) : null;
        String properties = "{\"productId\":\"p-" + random.nextInt(100_000) + "\",\"source\":\"web\",\"page\":\"/products/p-"
                + random.nextInt(100_000) + "\",\"sessionId\":\"" + Long.toHexString(random.nextLong()) + "\"}";
        return new StoredEvent(userId(user), eventId, name, time, campaignId, properties, receivedAt, false);
    }

    private StoredEvent order(int user, String eventId, long time, long receivedAt) {
        String properties = "{\"orderId\":\"o-" + random.nextInt(10_000_000) + "\",\"value\":42.5,\"currency\":\"USD\","
                + "\"items\":" + (1 + random.nextInt(5)) + ",\"source\":\"web\"}";
        return new StoredEvent(userId(user), eventId, ORDER, time, null, properties, receivedAt, false);
    }

    private int activeUser() {
        for (int tries = 0; tries < 64; tries++) {
            int user = random.nextInt(users);
            if (active.get(user)) {
                return user;
            }
        }
        return -1;
    }

    private String name() {
        int roll = random.nextInt(100);
        for (int i = 0; i < NAMES.length; i++) {
            roll -= PERCENT[i];
            if (roll < 0) {
                return NAMES[i];
            }
        }
        return NAMES[0];
    }
}
