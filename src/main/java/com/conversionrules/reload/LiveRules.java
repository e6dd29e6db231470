package com.conversionrules.reload;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.model.Rejection;
import com.conversionrules.rules.CompiledRulesCache;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesException;
import com.conversionrules.rules.cases.CaseReport;
import com.conversionrules.rules.check.RulesGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running service on the rules folder: watches it for changes, compiles a change on its
 * own thread, and hands rules that compile to every shard. Rules that do not compile, or that would
 * strand a live campaign, are reported and the service keeps what it has.
 */
public final class LiveRules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRules.class);

    private final Path rulesDir;
    private final CompiledRulesCache compiled;
    private final CampaignService campaigns;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "rules-reload"));
    private volatile ReloadReport last;
    private String seenStamp;

    public LiveRules(Path rulesDir, CampaignService campaigns, CompiledRulesCache compiled, Clock clock) {
        this.rulesDir = rulesDir;
        this.compiled = compiled;
        this.campaigns = campaigns;
        this.clock = clock;
        this.seenStamp = stamp();
    }

    /** Looks at the folder every {@code seconds}; a change of any file's name, size or time reloads. */
    public void watch(int seconds) {
        thread.scheduleWithFixedDelay(() -> {
            String now = stamp();
            if (!now.equals(seenStamp)) {
                seenStamp = now;
                reloadNow();
            }
        }, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Reloads now, whatever the folder's timestamps say; completes with the report. */
    public CompletableFuture<ReloadReport> reload() {
        return CompletableFuture.supplyAsync(() -> {
            seenStamp = stamp();
            return reloadNow();
        }, thread);
    }

    /**
     * Plays the case files now in the rules folder against the rules the service runs. On the reload
     * thread, so a reload never switches the rules halfway through.
     */
    public CompletableFuture<CaseReport> runCases() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return CaseReport.run(rulesDir, campaigns.rules());
            } catch (IOException e) {
                throw Rejection.unavailable("cannot read the case files in the rules folder: " + e.getMessage());
            }
        }, thread);
    }

    /** The outcome of the last reload attempt; null before the first. */
    public ReloadReport lastReload() {
        return last;
    }

    private ReloadReport reloadNow() {
        ReloadReport report;
        try {
            LoadedRules next = RulesGate.load(rulesDir, compiled);
            if (next.version().equals(campaigns.rules().version())) {
                report = new ReloadReport(clock.instant(), ReloadReport.UNCHANGED, next.version(), List.of(), null);
            } else {
                campaigns.switchRules(next).join();
                report = new ReloadReport(clock.instant(), ReloadReport.LOADED, next.version(), List.of(), null);
                LOG.info("Rules reloaded from {}: {}", rulesDir, next.describe());
            }
        } catch (RulesException e) {
            report = new ReloadReport(clock.instant(), ReloadReport.INVALID, null, e.problems(),
                    "check-rules finds errors in the rules folder; the service keeps rules version "
                            + campaigns.rules().version());
            LOG.warn("Rules not reloaded, keeping version {}:\n{}", campaigns.rules().version(), e.getMessage());
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof Rejection rejection)) {
                throw e;
            }
            report = new ReloadReport(clock.instant(), ReloadReport.REFUSED, null, List.of(), rejection.getMessage());
            LOG.warn("Rules not reloaded: {}", rejection.getMessage());
        }
        last = report;
        return report;
    }

    /** Names, sizes and modification times of every file under the folder. */
    private String stamp() {
        if (!Files.isDirectory(rulesDir)) {
            return "";
        }
        try (Stream<Path> files = Files.walk(rulesDir)) {
            return files.filter(Files::isRegularFile).sorted().map(file -> {
                try {
                    return file + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        } catch (IOException | UncheckedIOException e) {
            // A file vanished mid-walk (an editor saving): the next look sees the settled folder.
            return "unreadable:" + clock.millis();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
