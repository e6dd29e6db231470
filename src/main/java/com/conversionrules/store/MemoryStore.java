package com.conversionrules.store;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.Exit;
import com.conversionrules.model.FailedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An {@link EngineStore} that keeps everything in memory and commits at once: the engine exactly as
 * the service runs it, for the analysts' cases (test-rules, check-rules) and tests, with nothing on
 * disk. Not durable, by design.
 */
public final class MemoryStore implements EngineStore {
    private final Map<String, Campaign> campaigns = new LinkedHashMap<>();
    /** Active enrollments by campaign and user. */
    private final Map<String, Enrollment> active = new LinkedHashMap<>();
    /** Each user's latest enrollment by campaign and user, for re-entry. */
    private final Map<String, EnrollmentIndex.Latest> latest = new LinkedHashMap<>();
    private final List<KeptId> seen = new ArrayList<>();
    private final List<Exit> exits = new ArrayList<>();
    private final List<FailedEvent> failed = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<List<Campaign>> campaigns() {
        return CompletableFuture.completedFuture(List.copyOf(campaigns.values()));
    }

    @Override
    public synchronized CompletableFuture<List<Enrollment>> activeEnrollments() {
        return CompletableFuture.completedFuture(List.copyOf(active.values()));
    }

    @Override
    public synchronized CompletableFuture<Void> forEachActiveEnrollment(int chunkSize,
                                                                     Consumer<List<Enrollment>> chunks) {
        List<Enrollment> all = List.copyOf(active.values());
        for (int from = 0; from < all.size(); from += chunkSize) {
            chunks.accept(all.subList(from, Math.min(all.size(), from + chunkSize)));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> recentEventKeys(long since, EventKeySink sink) {
        seen.stream().filter(kept -> kept.receivedAt() >= since)
                .forEach(kept -> sink.seen(EventKey.of(kept.userId(), kept.eventId()), kept.userId().hashCode(),
                        kept.receivedAt()));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public EnrollmentIndex openEnrollmentIndex() {
        return new EnrollmentIndex() {
            @Override
            public Optional<Latest> latest(String campaignId, String userId) {
                synchronized (MemoryStore.this) {
                    return Optional.ofNullable(latest.get(key(campaignId, userId)));
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public synchronized CompletableFuture<Void> commit(ChangeBatch batch, long builtAt) {
        for (ChangeBatch.Change change : batch.changes()) {
            if (change instanceof ChangeBatch.EventKept kept) {
                seen.add(new KeptId(kept.event().getUserId(), kept.event().getId(), batch.receivedAt()));
            } else if (change instanceof ChangeBatch.Enrolled enrolled) {
                Enrollment enrollment = enrolled.enrollment();
                active.put(key(enrollment.getCampaignId(), enrollment.getUserId()), enrollment);
                latest.put(key(enrollment.getCampaignId(), enrollment.getUserId()),
                        new EnrollmentIndex.Latest(enrollment.getEnrolledAt(), null));
            } else if (change instanceof ChangeBatch.Exited exited) {
                String key = key(exited.exit().campaignId(), exited.exit().userId());
                active.remove(key);
                latest.computeIfPresent(key, (ignored, before) -> new EnrollmentIndex.Latest(before.enrolledAt(),
                        exited.exit().exitedAt()));
                exits.add(exited.exit());
            } else if (change instanceof ChangeBatch.EventSetAside setAside) {
                failed.add(setAside.failed());
            } else if (change instanceof ChangeBatch.CampaignSaved saved) {
                campaigns.put(saved.campaign().id(), saved.campaign());
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Every exit committed, in order. */
    public synchronized List<Exit> exits() {
        return List.copyOf(exits);
    }

    /** Every event set aside, in order. */
    public synchronized List<FailedEvent> failed() {
        return List.copyOf(failed);
    }

    @Override
    public long epoch() {
        return 0;
    }

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public long failingNanos() {
        return 0;
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    private record KeptId(String userId, String eventId, long receivedAt) {
    }

    private static String key(String first, String second) {
        return first + '\u0000' + second;
    }
}
