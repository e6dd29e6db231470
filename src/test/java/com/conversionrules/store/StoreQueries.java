package com.conversionrules.store;

import java.util.concurrent.CountDownLatch;

/** What tests outside the store package check on the SQLite tables directly. */
public final class StoreQueries {
    private StoreQueries() {
    }

    /** How many events the store kept, in all or for one user (null for all). */
    public static long storedEvents(Store store, String userId) {
        return store.read(connection -> {
            long[] count = {0};
            EventRecords.forEachEvent(connection, 0, Long.MAX_VALUE, Integer.MAX_VALUE,
                    (seq, user, id, name, time, campaignId, properties) -> {
                        if (userId == null || userId.equals(user)) {
                            count[0]++;
                        }
                    });
            return count[0];
        }).join();
    }

    /** Whether the store kept this user's event with this id. */
    public static boolean storedEvent(Store store, String userId, String eventId) {
        return store.read(connection -> {
            boolean[] found = {false};
            EventRecords.forEachEvent(connection, 0, Long.MAX_VALUE, Integer.MAX_VALUE,
                    (seq, user, id, name, time, campaignId, properties) -> found[0] |= user.equals(userId) && id.equals(eventId));
            return found[0];
        }).join();
    }

    /** Keeps the writer busy until the latch opens, so what is submitted meanwhile commits together after. */
    public static void holdWriter(Store store, CountDownLatch until) {
        store.write(connection -> {
            try {
                until.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
