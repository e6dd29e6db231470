package com.conversionrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.cli.CheckRulesCommand;
import com.conversionrules.config.Config;
import com.conversionrules.rules.RulesException;
import com.conversionrules.rules.cases.PolicyFolder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refuses a rules folder that does not compile, and says where every problem is. */
class ApplicationTest {
    @TempDir
    Path dir;

    @Test
    void brokenRulesStopTheStartWithEveryErrorAndReleaseThePort() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("broken.drl"), """
                package policies;
                rule "never finished"
                when
                    UserEvent( )
                then
                """);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Config config = Config.from(Map.of("PORT", Integer.toString(port), "RULES_DIR", rules.toString(),
                "DATA_DIR", dir.resolve("data").toString()));

        RulesException error = assertThrows(RulesException.class, () -> Application.start(config));

        assertTrue(error.problems().stream().allMatch(problem -> problem.file().equals("broken.drl")
                && problem.line() > 0), error.getMessage());
        assertTrue(Application.describe(error).startsWith("The rules in the rules folder do not compile:\nbroken.drl:"),
                Application.describe(error));
        assertTrue(Application.describe(error).endsWith("Run java -jar conversion-rules.jar check-rules [DIR] for "
                + "each problem with its column and what to fix."), Application.describe(error));
        try (ServerSocket free = new ServerSocket(port)) {
            assertEquals(port, free.getLocalPort());
        }
    }

    @Test
    void aFolderThatCheckRulesRejectsForAFailingCaseIsNotLoadedAndSaysWhatCheckRulesSays() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        PolicyFolder.withCases(rules, PolicyFolder.CONVERTS,
                PolicyFolder.BROWSING_DOES_NOT_CONVERT.replace("Viewed Product", "Placed Order"));
        Config config = Config.from(Map.of("PORT", "0", "RULES_DIR", rules.toString(),
                "DATA_DIR", dir.resolve("data").toString()));

        RulesException error = assertThrows(RulesException.class, () -> Application.start(config));

        ByteArrayOutputStream checked = new ByteArrayOutputStream();
        CheckRulesCommand.run(rules, new PrintStream(checked, true, StandardCharsets.UTF_8));
        String firstLine = checked.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertTrue(firstLine.startsWith("placed-order.cases.yaml:28:1: error: case \"browsing does not convert ann\" fails"),
                firstLine);
        assertEquals(firstLine, error.getMessage(), "the service words it as check-rules does");
    }

    @Test
    void configurationErrorsNameTheVariable() {
        IllegalArgumentException shards = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SHARDS", "zero")));
        assertEquals("SHARDS must be a whole number, got 'zero'", shards.getMessage());
        IllegalArgumentException webhook = assertThrows(IllegalArgumentException.class,
                () -> Config.from(Map.of("SENDER_WEBHOOK_URL", "ftp://example")));
        assertTrue(webhook.getMessage().startsWith("SENDER_WEBHOOK_URL must be an http(s) URL"));
        Config defaults = Config.from(Map.of());
        assertEquals("127.0.0.1", defaults.host());
        assertEquals(8080, defaults.port());
        assertEquals(Path.of("./rules"), defaults.rulesDir());
    }
}
