package com.conversionrules.store;

import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    static void apply(Connection connection, ChangeBatch batch, List<String> endpoints, EventSeqs seqs)
            throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        LongArrayList keys = new LongArrayList();
        IntArrayList userHashes = new IntArrayList();
        long firstSeq = 0;
        Map<String, UserEvent> causes = batch.exits().isEmpty() ? Map.of() : new HashMap<>();
        try (PreparedStatement insertEvent = EventRecords.prepareInsert(connection);
             PreparedStatement insertEnrollment = EnrollmentRecords.prepareInsert(connection);
             PreparedStatement exitEnrollment = EnrollmentRecords.prepareExit(connection);
             PreparedStatement insertExit = ExitRecords.prepareInsert(connection);
             PreparedStatement insertDelivery = DeliveryRecords.prepareInsert(connection);
             PreparedStatement insertFailed = batch.failed().isEmpty() ? null
                     : FailedEventRecords.prepareInsert(connection)) {
            for (ChangeBatch.Change change : batch.changes()) {
                if (change instanceof ChangeBatch.EventKept kept) {
                    UserEvent event = kept.event();
                    long seq = seqs.next();
                    firstSeq = keys.isEmpty() ? seq : firstSeq;
                    EventRecords.insert(insertEvent, seq, event, batch.receivedAt());
                    keys.add(EventKey.of(event.getUserId(), event.getId()));
                    userHashes.add(event.getUserId().hashCode());
                    if (!batch.exits().isEmpty()) {
                        causes.put(event.getUserId() + '\u0000' + event.getId(), event);
                    }
                } else if (change instanceof ChangeBatch.Enrolled enrolled) {
                    EnrollmentRecords.insert(insertEnrollment, enrolled.enrollment(), enrolled.holdout());
                } else if (change instanceof ChangeBatch.Exited exited) {
                    Exit exit = exited.exit();
                    UserEvent cause = exit.eventId() == null ? null : causes.get(exit.userId() + '\u0000' + exit.eventId());
                    exit(exitEnrollment, insertExit, insertDelivery, exited, cause, endpoints);
                } else if (change instanceof ChangeBatch.EventSetAside setAside) {
                    FailedEventRecords.insert(insertFailed, setAside.failed());
                } else if (change instanceof ChangeBatch.CampaignSaved saved && saved.isNew()) {
                    CampaignRecords.insert(connection, saved.campaign());
                } else if (change instanceof ChangeBatch.CampaignSaved saved) {
                    CampaignRecords.update(connection, saved.campaign());
                }
            }
            if (!keys.isEmpty()) {
                try (PreparedStatement insertKeys = EventRecords.prepareKeys(connection)) {
                    EventRecords.insertKeys(insertKeys, firstSeq, batch.receivedAt(), keys, userHashes);
                }
            }
        }
    }

    private static void exit(PreparedStatement exitEnrollment, PreparedStatement insertExit,
                             PreparedStatement insertDelivery, ChangeBatch.Exited exited, UserEvent cause,
                             List<String> endpoints) throws SQLException {
        Exit exit = exited.exit();
        if (exited.endsEnrollment()
                && !EnrollmentRecords.exit(exitEnrollment, exit.campaignId(), exit.userId(), exit.reason(), exit.id())) {
            LOG.warn("Exit {} found no active enrollment of {} in {}", exit.id(), exit.userId(), exit.campaignId());
        }
        ExitRecords.insert(insertExit, exit, cause);
        for (String endpoint : endpoints) {
            DeliveryRecords.insert(insertDelivery, exit.id(), endpoint);
        }
    }
}
