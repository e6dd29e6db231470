package com.conversionrules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.engine.Engine;
import com.conversionrules.metrics.Metrics;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.Enrollment;
import com.conversionrules.model.UserEvent;
import com.conversionrules.replay.BigOrders;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate-rules}: running rules against a proposed folder over a data directory, read only. */
class SimulateRulesCommandTest {
    @TempDir
    static Path dir;
    static Path data;
    static Instant since;

    private String output;
    private String errors;

    /** A data directory written by the engine: one campaign, orders of 20, 150 and none. */
    @BeforeAll
    static void writeHistory() throws Exception {
        data = dir.resolve("data");
        LoadedRules rules = new RulesLoader(Path.of("rules")).load();
        try (Store store = new Store(data)) {
            since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Engine engine = new Engine(rules, store, 2, 64, 10_000, Clock.systemUTC(), () -> { }, Metrics.inMemory());
            engine.start();
            try (CampaignService campaigns = new CampaignService(engine, rules, Clock.systemUTC())) {
                campaigns.create(new CampaignService.Draft("orders", "Orders", CampaignType.MULTI_TOUCH,
                        ConversionGoal.only("placed_order"), null, null, 0)).join();
                campaigns.launch("orders").join();
                long now = System.currentTimeMillis();
                List<Enrollment> enrollments = new ArrayList<>();
                for (String user : List.of("small", "big", "idle")) {
                    enrollments.add(new Enrollment("orders", user, now));
                }
                engine.enroll("orders", enrollments).join();
                engine.evaluate(List.of(
                        new UserEvent("o1", "small", "Placed Order", now + 1, null, Map.of("value", 20), 20),
                        new UserEvent("o2", "big", "Placed Order", now + 1, null, Map.of("value", 150), 150))).join();
            } finally {
                engine.close();
            }
        }
        BigOrders.write(dir.resolve("big-orders"));
    }

    private int run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> command = new ArrayList<>(List.of("simulate-rules"));
        command.addAll(List.of(args));
        int code = Commands.run(command.toArray(String[]::new), Map.of("RULES_DIR", "rules", "DATA_DIR", data.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        output = out.toString(StandardCharsets.UTF_8);
        errors = err.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void eachCampaignShowsRunningAgainstProposedAndWhoDiffers() {
        assertEquals(0, run("--rules", dir.resolve("big-orders").toString(), "--since", since.toString()), output);
        List<String> lines = output.lines().toList();
        assertTrue(lines.get(0).startsWith("Replaying enrollments made from " + since + " to "), output);
        String row = lines.stream().filter(line -> line.startsWith("orders ")).findFirst().orElseThrow();
        assertEquals(List.of("orders", "3", "2", "2", "1", "1"), List.of(row.trim().split("\\s+")), output);
        assertTrue(output.contains("orders: the first users whose outcome differs\n  small enrolled "), output);
        assertTrue(output.contains("running: placed_order at "), output);
        assertTrue(output.contains("proposed: does not convert"), output);
    }

    @Test
    void aRangeBeforeTheKeptHistoryIsRefused() {
        assertEquals(1, run("--rules", dir.resolve("big-orders").toString(), "--since",
                since.minus(Duration.ofDays(1)).toString()));
        assertTrue(output.contains("keeps events since"), output);
        assertTrue(output.contains("use --since"), output);
    }

    @Test
    void aProposedFolderThatFailsCheckRulesIsRefusedInItsWords() throws Exception {
        Path broken = BigOrders.writeBroken(dir.resolve("broken"));
        assertEquals(1, run("--rules", broken.toString(), "--since", since.toString()));
        assertTrue(output.startsWith("the proposed rules (" + broken + ") do not pass check-rules:\nplaced-order.drl:"),
                output);
    }

    @Test
    void aMissingDataDirectoryIsNamed() {
        assertEquals(1, run("--rules", dir.resolve("big-orders").toString(), "--since", since.toString(),
                "--data", dir.resolve("nowhere").toString()));
        assertTrue(output.contains("no data directory at "), output);
    }

    @Test
    void aBadCommandLineSaysHowToUseIt() {
        assertEquals(Commands.USAGE, run("--since", since.toString()));
        assertTrue(errors.contains("--rules (the proposed rules folder) and --since (when the replay starts) are required"));
        assertEquals(Commands.USAGE, run("--rules", "x", "--since", "last week"));
        assertTrue(errors.contains("--since 'last week' is not an ISO-8601 time"), errors);
        assertEquals(Commands.USAGE, run("--rules", "x", "--since", since.toString(), "--colour", "red"));
        assertTrue(errors.contains("unknown or repeated option '--colour'"), errors);
    }
}
