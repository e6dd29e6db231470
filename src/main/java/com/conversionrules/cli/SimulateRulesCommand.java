package com.conversionrules.cli;

import com.conversionrules.model.Campaign;
import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.Rejection;
import com.conversionrules.replay.Arm;
import com.conversionrules.replay.Outcome;
import com.conversionrules.replay.ReplayReport;
import com.conversionrules.replay.Simulator;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesException;
import com.conversionrules.rules.check.RulesGate;
import com.conversionrules.store.EventHistory;
import com.conversionrules.store.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code simulate-rules --rules DIR --since TIME}: replays every campaign's enrollments made since
 * then, from a data directory (the service may be running on it: it is only read), under the rules
 * the service runs and under the proposed folder, and prints per campaign how many would convert
 * under each and who would differ. Exit code 0 when it ran, 1 when a rules folder or the data
 * directory cannot be used, 2 for a bad command line.
 */
final class SimulateRulesCommand {
    static final String USAGE = "simulate-rules --rules DIR --since TIME [--until TIME] [--data DIR] "
            + "[--running DIR] [--campaign ID]";
    private static final int SHOWN = 5;

    private SimulateRulesCommand() {
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String flag = args.get(i);
            if (!List.of("--rules", "--since", "--until", "--data", "--running", "--campaign").contains(flag)
                    || i + 1 >= args.size() || flags.put(flag, args.get(i + 1)) != null) {
                err.println((i + 1 >= args.size() ? "'" + flag + "' needs a value" : "unknown or repeated option '"
                        + flag + "'") + "\nusage: java -jar conversion-rules.jar " + USAGE);
                return Commands.USAGE;
            }
        }
        if (!flags.containsKey("--rules") || !flags.containsKey("--since")) {
            err.println("--rules (the proposed rules folder) and --since (when the replay starts) are required\n"
                    + "usage: java -jar conversion-rules.jar " + USAGE);
            return Commands.USAGE;
        }
        long now = System.currentTimeMillis();
        long since;
        long until;
        try {
            since = time("--since", flags.get("--since"));
            until = flags.containsKey("--until") ? time("--until", flags.get("--until")) : now;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return Commands.USAGE;
        }
        if (since >= until || Duration.ofMillis(until - since).compareTo(Simulator.LONGEST_RANGE) > 0) {
            err.println("--since must come before --until, at most " + Simulator.LONGEST_RANGE.toDays() + " days before");
            return Commands.USAGE;
        }
        Path proposedDir = Path.of(flags.get("--rules"));
        Path runningDir = Path.of(flags.getOrDefault("--running", env.getOrDefault("RULES_DIR", "./rules")));
        Path dataDir = Path.of(flags.getOrDefault("--data", env.getOrDefault("DATA_DIR", "./data")));
        LoadedRules running = load(runningDir, "running", out);
        LoadedRules proposed = running == null ? null : load(proposedDir, "proposed", out);
        if (proposed == null) {
            return 1;
        }
        try (EventHistory history = Store.readHistory(dataDir)) {
            if (since < history.retainedSince()) {
                out.println(dataDir + " keeps events since " + Instant.ofEpochMilli(history.retainedSince())
                        + ": a replay from " + Instant.ofEpochMilli(since) + " would miss the events before that; "
                        + "use --since " + Instant.ofEpochMilli(history.retainedSince()) + " or later");
                return 1;
            }
            out.println("Replaying enrollments made from " + Instant.ofEpochMilli(since) + " to "
                    + Instant.ofEpochMilli(until) + " (" + dataDir + " keeps events since "
                    + Instant.ofEpochMilli(history.retainedSince()) + ")");
            out.println("running rules " + running.version() + " (" + runningDir + "), proposed rules "
                    + proposed.version() + " (" + proposedDir + ")");
            out.println();
            return replay(history, flags.get("--campaign"), since, until, running, proposed, out);
        } catch (IllegalArgumentException | Rejection e) {
            out.println(e.getMessage());
            return 1;
        }
    }

    private static int replay(EventHistory history, String only, long since, long until, LoadedRules running,
                              LoadedRules proposed, PrintStream out) {
        List<Campaign> campaigns = history.campaigns().stream()
                .filter(campaign -> campaign.status() != CampaignStatus.DRAFT)
                .filter(campaign -> only == null || campaign.id().equals(only)).toList();
        if (campaigns.isEmpty()) {
            out.println(only == null ? "no launched campaign in the data directory" : "no launched campaign '" + only + "'");
            return only == null ? 0 : 1;
        }
        out.println(String.format("%-24s %11s %7s %8s %9s %8s", "campaign", "enrollments", "actual", "running",
                "proposed", "changed"));
        StringBuilder details = new StringBuilder();
        long started = System.nanoTime();
        long enrollments = 0;
        long events = 0;
        if (campaigns.size() > 1) {
            history.prepare(since, until);
        }
        for (Campaign campaign : campaigns) {
            Campaign live = campaign.launched(campaign.launchedAt() == null ? since : campaign.launchedAt());
            ReplayReport report = Simulator.run(history, campaign.id(), since, until,
                    List.of(new Arm("running", running, live), new Arm("proposed", proposed, live)), true, () -> true);
            enrollments += report.enrollments();
            events += report.events();
            out.println(String.format("%-24s %11d %7d %8d %9d %8d", campaign.id(), report.enrollments(),
                    report.actual().converted(), report.arms().get(0).tally().converted(),
                    report.arms().get(1).tally().converted(), report.changes().changed()));
            List<String> missing = campaign.conversionEvents().stream()
                    .filter(event -> !proposed.conversionEvents().contains(event)).toList();
            if (!missing.isEmpty()) {
                details.append(campaign.id()).append(": the proposed rules define no ").append(String.join(", ", missing))
                        .append(", so nobody converts on it there\n");
            }
            if (!report.differences().isEmpty()) {
                details.append(campaign.id()).append(": the first users whose outcome differs\n");
                report.differences().stream().limit(SHOWN).forEach(difference -> details.append("  ")
                        .append(difference.userId()).append(" enrolled ").append(Instant.ofEpochMilli(difference.enrolledAt()))
                        .append("  running: ").append(describe(difference.arms().get(0)))
                        .append("  proposed: ").append(describe(difference.arms().get(1))).append('\n'));
            }
        }
        if (!details.isEmpty()) {
            out.println();
            out.print(details);
        }
        out.println();
        out.printf("replayed %,d enrollments and %,d events in %.1f s%n", enrollments, events,
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private static String describe(Outcome outcome) {
        return outcome.converted() ? outcome.conversionEvent() + " at " + Instant.ofEpochMilli(outcome.at())
                : "does not convert";
    }

    /** The folder as the service would load it; null, with check-rules' words printed, when it would not. */
    private static LoadedRules load(Path folder, String which, PrintStream out) {
        try {
            return RulesGate.load(folder);
        } catch (RulesException e) {
            out.println("the " + which + " rules (" + folder + ") do not pass check-rules:");
            out.println(e.getMessage());
            return null;
        }
    }

    private static long time(String flag, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " '" + text + "' is not an ISO-8601 time with an offset, such as "
                    + "2026-11-01T00:00:00Z");
        }
    }
}
