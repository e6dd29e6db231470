package com.conversionrules.store;

import com.conversionrules.model.Exit;
import com.conversionrules.model.UserEvent;
import com.conversionrules.store.WriterStatements.Kind;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
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

    static void apply(WriterStatements statements, ChangeBatch batch, List<String> endpoints, EventSeqs seqs)
            throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        LongArrayList keys = new LongArrayList();
        IntArrayList userHashes = new IntArrayList();
        long firstSeq = 0;
        // The events exits name as their cause, by fingerprint: only those are kept for the exits' rows
        // (most batches have no exit, and then nothing is kept).
        LongOpenHashSet wanted = batch.exits().isEmpty() ? null : new LongOpenHashSet();
        for (Exit exit : batch.exits()) {
            if (exit.eventId() != null) {
                wanted.add(EventKey.of(exit.userId(), exit.eventId()));
            }
        }
        Long2ObjectOpenHashMap<UserEvent> causes = wanted == null ? null : new Long2ObjectOpenHashMap<>(wanted.size());
        EventBatchCodec.Encoder events = new EventBatchCodec.Encoder();
        for (ChangeBatch.Change change : batch.changes()) {
            if (change instanceof ChangeBatch.EventKept kept) {
                UserEvent event = kept.event();
                long seq = seqs.next(event);
                firstSeq = keys.isEmpty() ? seq : firstSeq;
                events.add(event);
                long key = EventKey.of(event.getUserId(), event.getId());
                keys.add(key);
                userHashes.add(event.getUserId().hashCode());
                if (wanted != null && wanted.contains(key)) {
                    causes.put(key, event);
                }
            } else if (change instanceof ChangeBatch.Enrolled enrolled) {
                EnrollmentRecords.insert(statements.get(Kind.INSERT_ENROLLMENT), enrolled.enrollment(), enrolled.holdout());
            } else if (change instanceof ChangeBatch.Exited exited) {
                Exit exit = exited.exit();
                UserEvent cause = causeOf(exit, causes);
                exit(statements, exited, cause, endpoints);
            } else if (change instanceof ChangeBatch.EventSetAside setAside) {
                FailedEventRecords.insert(statements.get(Kind.INSERT_FAILED), setAside.failed());
            } else if (change instanceof ChangeBatch.CampaignSaved saved && saved.isNew()) {
                CampaignRecords.insert(statements.connection(), saved.campaign());
            } else if (change instanceof ChangeBatch.CampaignSaved saved) {
                CampaignRecords.update(statements.connection(), saved.campaign());
            }
        }
        if (!keys.isEmpty()) {
            EventRecords.insert(statements.get(Kind.INSERT_EVENTS), firstSeq, batch.receivedAt(), events);
            EventRecords.insertKeys(statements.get(Kind.INSERT_KEYS), firstSeq, batch.receivedAt(), keys, userHashes);
        }
    }

    /** The event of this batch that caused the exit; null when none did (or it came in an earlier batch). */
    private static UserEvent causeOf(Exit exit, Long2ObjectMap<UserEvent> causes) {
        if (exit.eventId() == null) {
            return null;
        }
        UserEvent cause = causes.get(EventKey.of(exit.userId(), exit.eventId()));
        return cause != null && cause.getUserId().equals(exit.userId()) && cause.getId().equals(exit.eventId())
                ? cause : null;
    }

    private static void exit(WriterStatements statements, ChangeBatch.Exited exited, UserEvent cause,
                             List<String> endpoints) throws SQLException {
        Exit exit = exited.exit();
        if (exited.endsEnrollment()
                && !EnrollmentRecords.exit(statements.get(Kind.EXIT_ENROLLMENT), exit.campaignId(), exit.userId(),
                        exit.reason(), exit.id())) {
            LOG.warn("Exit {} found no active enrollment of {} in {}", exit.id(), exit.userId(), exit.campaignId());
        }
        ExitRecords.insert(statements.get(Kind.INSERT_EXIT), exit, cause, exited.position());
        for (String endpoint : endpoints) {
            DeliveryRecords.insert(statements.get(Kind.INSERT_DELIVERY), exit.id(), endpoint);
        }
    }
}
