package com.conversionrules.store;

import com.conversionrules.model.Exit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link ChangeBatch} into the SQLite tables, in its order, inside the writer's transaction.
 * Each exit gets one delivery row per configured endpoint in that same transaction, so an exit is
 * never stored without its deliveries (a disabled endpoint gets rows too: they show as
 * endpoint_disabled and go out if it is enabled again).
 */
final class SqliteChanges {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteChanges.class);

    private SqliteChanges() {
    }

    static void apply(Connection connection, ChangeBatch batch, List<String> endpoints) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (PreparedStatement insertEvent = EventRecords.prepareInsert(connection);
             PreparedStatement insertEnrollment = EnrollmentRecords.prepareInsert(connection);
             PreparedStatement exitEnrollment = EnrollmentRecords.prepareExit(connection);
             PreparedStatement insertExit = ExitRecords.prepareInsert(connection);
             PreparedStatement insertDelivery = DeliveryRecords.prepareInsert(connection);
             PreparedStatement insertFailed = batch.failed().isEmpty() ? null
                     : FailedEventRecords.prepareInsert(connection)) {
            for (ChangeBatch.Change change : batch.changes()) {
                if (change instanceof ChangeBatch.EventKept kept) {
                    EventRecords.insert(insertEvent, kept.event(), batch.receivedAt());
                } else if (change instanceof ChangeBatch.Enrolled enrolled) {
                    EnrollmentRecords.insert(insertEnrollment, enrolled.enrollment());
                } else if (change instanceof ChangeBatch.Exited exited) {
                    exit(exitEnrollment, insertExit, insertDelivery, exited.exit(), endpoints);
                } else if (change instanceof ChangeBatch.EventSetAside setAside) {
                    FailedEventRecords.insert(insertFailed, setAside.failed());
                } else if (change instanceof ChangeBatch.CampaignSaved saved && saved.isNew()) {
                    CampaignRecords.insert(connection, saved.campaign());
                } else if (change instanceof ChangeBatch.CampaignSaved saved) {
                    CampaignRecords.update(connection, saved.campaign());
                }
            }
        }
    }

    private static void exit(PreparedStatement exitEnrollment, PreparedStatement insertExit,
                             PreparedStatement insertDelivery, Exit exit, List<String> endpoints) throws SQLException {
        if (!EnrollmentRecords.exit(exitEnrollment, exit.campaignId(), exit.userId(), exit.reason(), exit.id())) {
            LOG.warn("Exit {} found no active enrollment of {} in {}", exit.id(), exit.userId(), exit.campaignId());
        }
        ExitRecords.insert(insertExit, exit);
        for (String endpoint : endpoints) {
            DeliveryRecords.insert(insertDelivery, exit.id(), endpoint);
        }
    }
}
