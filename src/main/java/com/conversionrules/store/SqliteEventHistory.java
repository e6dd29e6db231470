package com.conversionrules.store;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.UserEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history from the SQLite tables: the campaign's enrollments through the (campaign, user)
 * index, so they come in user order, and their users' events from the event log. The log is in the
 * order events were received and has no index by user, so the range's events are first copied, by
 * one pass over the log from the first batch that can hold them, into a temporary table keyed by
 * (user, time, seq), which SQLite sorts on disk: those of the campaign's users for one replay, or all
 * of them once for several ({@link #prepare}). Then each user's events are one range of that table.
 * Nothing is held beyond one user's enrollments, one batch of the log and the event being read; the
 * page caches are capped at {@link #CACHE_KIB}, and the temporary table (the events as stored) is on disk.
 */
final class SqliteEventHistory implements EventHistory {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventHistory.class);
    /** A replay reads each page once; a large cache would only hold memory. */
    static final int CACHE_KIB = 8 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> PROPERTIES = new TypeReference<>() {
    };

    static final String ENROLLMENTS = "SELECT n.user_id, n.enrolled_at, e.id IS NOT NULL, " + ExitRecords.COLUMNS
            + " FROM enrollments n INDEXED BY enrollments_by_user LEFT JOIN exits e ON e.id = n.exit_id"
            + " WHERE n.campaign_id = ? AND n.enrolled_at >= ? AND n.enrolled_at < ? ORDER BY n.user_id, n.seq";
    /** The columns {@link #ENROLLMENTS} selects before the exit's. */
    private static final int EXIT_OFFSET = 3;
    /** Events may be up to a day ahead of the server's clock, so one that happened at T was received after T - 1 day. */
    private static final long MAX_CLOCK_SKEW_MILLIS = 24 * 60 * 60 * 1000L;
    static final String SORTED = """
            CREATE TEMP TABLE replay_events (user_id TEXT NOT NULL, time INTEGER NOT NULL, seq INTEGER NOT NULL,
                id TEXT NOT NULL, name TEXT NOT NULL, campaign_id TEXT, properties TEXT,
                PRIMARY KEY (user_id, time, seq)) WITHOUT ROWID""";
    /** The first seq of the first batch received at or after a time: no earlier event can be in the range. */
    static final String FIRST_SEQ = "SELECT min(first_seq) FROM event_keys WHERE received_at >= ?";
    static final String COPY = """
            INSERT INTO temp.replay_events (user_id, time, seq, id, name, campaign_id, properties)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    /** Whether the user was enrolled in the campaign in the range: one index probe an event, for one campaign's replay. */
    static final String ENROLLED_IN_RANGE = """
            SELECT 1 FROM enrollments n INDEXED BY enrollments_by_user
            WHERE n.campaign_id = ? AND n.user_id = ? AND n.enrolled_at >= ? AND n.enrolled_at < ? LIMIT 1""";
    static final String EVENTS = """
            SELECT id, name, time, campaign_id, properties FROM temp.replay_events
            WHERE user_id = ? ORDER BY time, seq""";

    private final Connection connection;
    /** The range the temporary table holds every event of ({@link #prepare}); null when none. */
    private long[] prepared;

    SqliteEventHistory(Connection connection) throws SQLException {
        this.connection = connection;
        Database.limitCache(connection, CACHE_KIB);
        try (Statement statement = connection.createStatement()) {
            // The sort of a range's events spills to a file, not to the heap.
            statement.execute("PRAGMA temp_store=FILE");
            statement.execute("PRAGMA temp.cache_size=-" + CACHE_KIB);
        }
    }

    /** The history of a data directory another process may be writing; read only. */
    static EventHistory readOnly(Path dataDir) throws SQLException {
        Connection connection = Database.openReadOnly(dataDir, CACHE_KIB);
        try {
            if (HistoryRecords.eventsSince(connection).isEmpty()) {
                throw new SQLException("empty history");
            }
        } catch (SQLException e) {
            connection.close();
            throw new SQLException("the data directory " + dataDir.toAbsolutePath() + " was written by an older "
                    + "version: start the service on it once to upgrade it, then try again", e);
        }
        return new SqliteEventHistory(connection);
    }

    @Override
    public long retainedSince() {
        try {
            return HistoryRecords.eventsSince(connection).orElseThrow(() -> new StoreUnavailableException(
                    new SQLException("the store does not say since when it keeps events")));
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    @Override
    public List<Campaign> campaigns() {
        try {
            return CampaignRecords.all(connection);
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    @Override
    public void prepare(long from, long until) {
        try {
            sortEvents(from, until, null);
            prepared = new long[] {from, until};
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    @Override
    public void forEachUser(String campaignId, long from, long until, BooleanSupplier keepGoing,
                            UserHistory consumer) {
        boolean forThisCampaign = prepared == null || prepared[0] != from || prepared[1] != until;
        try {
            if (forThisCampaign) {
                sortEvents(from, until, campaignId);
            }
            try (PreparedStatement enrollments = connection.prepareStatement(ENROLLMENTS);
                 PreparedStatement events = connection.prepareStatement(EVENTS)) {
                enrollments.setString(1, campaignId);
                enrollments.setLong(2, from);
                enrollments.setLong(3, until);
                try (ResultSet rows = enrollments.executeQuery()) {
                    String user = null;
                    List<PastEnrollment> ofUser = new ArrayList<>();
                    while (rows.next() && keepGoing.getAsBoolean()) {
                        String next = rows.getString(1);
                        if (user != null && !user.equals(next)) {
                            replay(events, user, ofUser, consumer);
                            ofUser = new ArrayList<>();
                        }
                        user = next;
                        ofUser.add(new PastEnrollment(next, rows.getLong(2),
                                rows.getBoolean(3) ? ExitRecords.exit(rows, EXIT_OFFSET) : null));
                    }
                    if (user != null && keepGoing.getAsBoolean()) {
                        replay(events, user, ofUser, consumer);
                    }
                }
            } finally {
                if (forThisCampaign) {
                    dropSorted();
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    private static void replay(PreparedStatement events, String userId, List<PastEnrollment> enrollments,
                               UserHistory consumer) throws SQLException {
        events.setString(1, userId);
        try (ResultSet rows = events.executeQuery()) {
            consumer.accept(userId, enrollments, new Events(rows, userId));
        }
    }

    /** Copies the range's events (of the campaign's users in the range, when one is named) into the temporary table. */
    private void sortEvents(long from, long until, String campaignId) throws SQLException {
        dropSorted();
        try (Statement statement = connection.createStatement()) {
            statement.execute(SORTED);
        }
        long firstSeq;
        try (PreparedStatement select = connection.prepareStatement(FIRST_SEQ)) {
            select.setLong(1, from - MAX_CLOCK_SKEW_MILLIS);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                firstSeq = rows.getLong(1);
                if (rows.wasNull()) {
                    return;
                }
            }
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement copy = connection.prepareStatement(COPY);
             PreparedStatement enrolled = campaignId == null ? null : connection.prepareStatement(ENROLLED_IN_RANGE)) {
            EventRecords.forEachEvent(connection, firstSeq - 1, Long.MAX_VALUE, Integer.MAX_VALUE,
                    (seq, userId, id, name, time, eventCampaignId, properties) -> {
                        if (time < from || time >= until
                                || (enrolled != null && !enrolledInRange(enrolled, campaignId, userId, from, until))) {
                            return;
                        }
                        copy.setString(1, userId);
                        copy.setLong(2, time);
                        copy.setLong(3, seq);
                        copy.setString(4, id);
                        copy.setString(5, name);
                        copy.setString(6, eventCampaignId);
                        copy.setString(7, properties);
                        copy.executeUpdate();
                    });
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean enrolledInRange(PreparedStatement enrolled, String campaignId, String userId, long from,
                                           long until) throws SQLException {
        enrolled.setString(1, campaignId);
        enrolled.setString(2, userId);
        enrolled.setLong(3, from);
        enrolled.setLong(4, until);
        try (ResultSet rows = enrolled.executeQuery()) {
            return rows.next();
        }
    }

    private void dropSorted() throws SQLException {
        prepared = null;
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS temp.replay_events");
        }
    }

    /** A user's events as they are read, one row at a time. */
    private static final class Events implements Iterator<UserEvent> {
        private final ResultSet rows;
        private final String userId;
        private Boolean hasNext;

        Events(ResultSet rows, String userId) {
            this.rows = rows;
            this.userId = userId;
        }

        @Override
        public boolean hasNext() {
            if (hasNext == null) {
                try {
                    hasNext = rows.next();
                } catch (SQLException e) {
                    throw new StoreUnavailableException(e);
                }
            }
            return hasNext;
        }

        @Override
        public UserEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            hasNext = null;
            try {
                String json = rows.getString(5);
                Map<String, Object> properties = json == null ? Map.of() : JSON.readValue(json, PROPERTIES);
                return new UserEvent(rows.getString(1), userId, rows.getString(2), rows.getLong(3), rows.getString(4),
                        properties, json, UserEvent.orderValue(properties));
            } catch (SQLException e) {
                throw new StoreUnavailableException(e);
            } catch (JsonProcessingException e) {
                throw new StoreUnavailableException(new SQLException("stored properties are not JSON", e));
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing an event history failed", e);
        }
    }
}
