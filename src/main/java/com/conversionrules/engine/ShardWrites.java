package com.conversionrules.engine;

import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.FailedEvent;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.EnrollmentRecords;
import com.conversionrules.store.EventRecords;
import com.conversionrules.store.ExitRecords;
import com.conversionrules.store.FailedEventRecords;
import com.conversionrules.store.WriteJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one shard batch changed, written in the order the shard made the changes (a user removed
 * and enrolled again in one batch must leave the old row before the new one appears).
 */
final class ShardWrites implements WriteJob {
    private static final Logger LOG = LoggerFactory.getLogger(ShardWrites.class);

    private final List<Object> changes = new ArrayList<>();
    private final long receivedAt;
    private final List<Exit> exits = new ArrayList<>();
    private final List<FailedEvent> failed = new ArrayList<>(0);

    ShardWrites(long receivedAt) {
        this.receivedAt = receivedAt;
    }

    void event(UserEvent event) {
        changes.add(event);
    }

    void enrollment(Enrollment enrollment) {
        changes.add(enrollment);
    }

    void exit(Exit exit) {
        changes.add(exit);
        exits.add(exit);
    }

    /** An event set aside because a rule failed on it: kept for the operator, not as an event. */
    void failed(FailedEvent event) {
        changes.add(event);
        failed.add(event);
    }

    List<Exit> exits() {
        return exits;
    }

    List<FailedEvent> failed() {
        return failed;
    }

    @Override
    public void apply(Connection connection) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement insertEvent = EventRecords.prepareInsert(connection);
             PreparedStatement insertEnrollment = EnrollmentRecords.prepareInsert(connection);
             PreparedStatement exitEnrollment = EnrollmentRecords.prepareExit(connection);
             PreparedStatement insertExit = ExitRecords.prepareInsert(connection);
             PreparedStatement insertFailed = failed.isEmpty() ? null : FailedEventRecords.prepareInsert(connection)) {
            for (Object change : changes) {
                if (change instanceof UserEvent event) {
                    EventRecords.insert(insertEvent, event, receivedAt);
                } else if (change instanceof Enrollment enrollment) {
                    EnrollmentRecords.insert(insertEnrollment, enrollment);
                } else if (change instanceof Exit exit) {
                    if (!EnrollmentRecords.exit(exitEnrollment, exit.campaignId(), exit.userId(), exit.reason(), exit.id())) {
                        LOG.warn("Exit {} found no active enrollment of {} in {}", exit.id(), exit.userId(), exit.campaignId());
                    }
                    ExitRecords.insert(insertExit, exit);
                } else if (change instanceof FailedEvent event) {
                    FailedEventRecords.insert(insertFailed, event);
                }
            }
        }
    }
}
