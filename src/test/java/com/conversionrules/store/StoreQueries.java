package com.conversionrules.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.CountDownLatch;

/** What tests outside the store package check on the SQLite tables directly. */
public final class StoreQueries {
    private StoreQueries() {
    }

    /** How many events the store kept, in all or for one user (null for all). */
    public static long storedEvents(Store store, String userId) {
        return store.read(connection -> {
            try (PreparedStatement count = connection.prepareStatement(userId == null ? "SELECT count(*) FROM event_log"
                    : "SELECT count(*) FROM event_log WHERE user_id = ?")) {
                if (userId != null) {
                    count.setString(1, userId);
                }
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        }).join();
    }

    /** Whether the store kept this user's event with this id. */
    public static boolean storedEvent(Store store, String userId, String eventId) {
        return store.read(connection -> {
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM event_log WHERE user_id = ? AND id = ?")) {
                exists.setString(1, userId);
                exists.setString(2, eventId);
                try (ResultSet rows = exists.executeQuery()) {
                    return rows.next();
                }
            }
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
