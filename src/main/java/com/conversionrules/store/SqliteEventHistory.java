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
 * index, so they come in user order, and each user's events through the events' (user, id) key.
 * Nothing is held beyond one user's enrollments and the event being read; the connection's page
 * cache is capped at {@link #CACHE_KIB}.
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
    static final String EVENTS = """
            SELECT id, name, time, campaign_id, properties FROM events
            WHERE user_id = ? AND time >= ? AND time < ? ORDER BY time, received_at, id""";

    private final Connection connection;

    SqliteEventHistory(Connection connection) throws SQLException {
        this.connection = connection;
        Database.limitCache(connection, CACHE_KIB);
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
    public void forEachUser(String campaignId, long from, long until, BooleanSupplier keepGoing,
                            UserHistory consumer) {
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
                        replay(events, user, ofUser, from, until, consumer);
                        ofUser = new ArrayList<>();
                    }
                    user = next;
                    ofUser.add(new PastEnrollment(next, rows.getLong(2),
                            rows.getBoolean(3) ? ExitRecords.exit(rows, EXIT_OFFSET) : null));
                }
                if (user != null && keepGoing.getAsBoolean()) {
                    replay(events, user, ofUser, from, until, consumer);
                }
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException(e);
        }
    }

    private static void replay(PreparedStatement events, String userId, List<PastEnrollment> enrollments, long from,
                               long until, UserHistory consumer) throws SQLException {
        events.setString(1, userId);
        events.setLong(2, from);
        events.setLong(3, until);
        try (ResultSet rows = events.executeQuery()) {
            consumer.accept(userId, enrollments, new Events(rows, userId));
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
