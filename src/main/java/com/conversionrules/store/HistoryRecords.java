package com.conversionrules.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Since when the store holds every event it took: the start of the history a replay may cover. It is
 * when this data directory took its first event (or was created, if it has taken none), and moves
 * forward as EVENT_RETENTION drops older events.
 */
final class HistoryRecords {
    static final String TABLE = "CREATE TABLE IF NOT EXISTS history (name TEXT PRIMARY KEY, value INTEGER NOT NULL)";
    private static final String EVENTS_SINCE = "events_since";
    private static final String FIRST_KEPT_SEQ = "first_kept_seq";

    private HistoryRecords() {
    }

    /**
     * Records the start once. A directory written before this existed starts at its oldest kept
     * batch of events (one row per batch, so a short read).
     */
    static void markStart(Connection connection) throws SQLException {
        if (eventsSince(connection).isPresent()) {
            return;
        }
        long since;
        try (PreparedStatement oldest = connection.prepareStatement(
                "SELECT received_at FROM event_keys ORDER BY first_seq LIMIT 1");
             ResultSet rows = oldest.executeQuery()) {
            since = rows.next() ? rows.getLong(1) : System.currentTimeMillis();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO history (name, value) VALUES (?, ?)")) {
            insert.setString(1, EVENTS_SINCE);
            insert.setLong(2, since);
            insert.executeUpdate();
        }
    }

    /**
     * Events received before {@code cutoff}, those before seq {@code firstKeptSeq}, were dropped: the
     * history starts there now, if not later already. The seq is kept so that seqs never go back,
     * even once the log is empty: the performed-event index still holds the dropped ones.
     */
    static void droppedBefore(Connection connection, long cutoff, long firstKeptSeq) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE history SET value = max(value, ?) WHERE name = ?");
             PreparedStatement seq = connection.prepareStatement("""
                     INSERT INTO history (name, value) VALUES (?, ?)
                     ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)""")) {
            update.setLong(1, cutoff);
            update.setString(2, EVENTS_SINCE);
            update.executeUpdate();
            seq.setString(1, FIRST_KEPT_SEQ);
            seq.setLong(2, firstKeptSeq);
            seq.executeUpdate();
        }
    }

    /** The first seq no retention has dropped; 0 when none has. */
    static long firstKeptSeq(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM history WHERE name = ?")) {
            select.setString(1, FIRST_KEPT_SEQ);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** Epoch milliseconds from which every event the service took is in the store. */
    static Optional<Long> eventsSince(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM history WHERE name = ?")) {
            select.setString(1, EVENTS_SINCE);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getLong(1)) : Optional.empty();
            }
        }
    }
}
