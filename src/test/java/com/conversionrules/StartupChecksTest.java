package com.conversionrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import com.conversionrules.startup.StartupException;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator meets when a start cannot go well: a second instance on the same data, a port in
 * use, a logging setting mistyped: one line that names the setting, and nothing written.
 */
class StartupChecksTest {
    @TempDir
    Path dir;

    private Config config(Path dataDir, int port) {
        Map<String, String> env = new HashMap<>();
        env.put(Config.HOST, "127.0.0.1");
        env.put(Config.PORT, Integer.toString(port));
        env.put(Config.RULES_DIR, "rules");
        env.put(Config.DATA_DIR, dataDir.toString());
        env.put(Config.RULES_POLL_SECONDS, "0");
        return Config.from(env);
    }

    @Test
    void aSecondInstanceOnTheSameDataDirectoryRefusesToStartNamingTheFolderAndTheHolder() throws Exception {
        Path data = dir.resolve("data");
        try (Application first = Application.start(config(data, 0))) {
            StartupException refused = assertThrows(StartupException.class, () -> Application.start(config(data, 0)));
            assertEquals("DATA_DIR " + data + " is in use by another instance of the service (pid "
                    + ProcessHandle.current().pid() + "); stop it, or give this one its own DATA_DIR",
                    refused.getMessage());
            assertTrue(first.ready(), "the first one is untouched");
        }
        // Released at stop: the next start on the same data goes ahead.
        Application.start(config(data, 0)).close();
    }

    @Test
    void aPortInUseIsOneLineNamingItBeforeAnyKeyIsGenerated() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path data = dir.resolve("data");
            StartupException refused = assertThrows(StartupException.class,
                    () -> Application.start(config(data, taken.getLocalPort())));
            assertTrue(refused.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("set PORT"), refused.getMessage());
            assertFalse(Files.exists(data.resolve("keys.json")), "no key was generated");
        }
    }

    @Test
    void theStoreIsReadableByTheServiceUserAlone() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Application application = Application.start(config(data, 0))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            for (String file : List.of("conversion-rules.db", "conversion-rules.db-wal", "keys.json")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        data.resolve(file))), file);
            }
        }
    }

    @Test
    void anUnknownLogSettingStopsTheStartWithOneLineAndExitCode2() throws Exception {
        for (Map.Entry<String, String> setting : Map.of("LOG_LEVEL", "warning", "LOG_FORMAT", "xml").entrySet()) {
            Process process = service(Map.of(setting.getKey(), setting.getValue(), "DATA_DIR",
                    dir.resolve("never").toString()));
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(2, process.exitValue(), output);
            assertEquals(1, output.lines().count(), output);
            assertTrue(output.startsWith("Configuration error: " + setting.getKey() + " must be one of"), output);
            assertTrue(output.contains("'" + setting.getValue() + "'"), output);
        }
    }

    @Test
    void logSettingsAcceptAnyCase() throws Exception {
        Process process = service(Map.of("LOG_FORMAT", "JSON", "LOG_LEVEL", "Info", "PORT", "-1"));
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        // Past the log settings, the next check (the port) is the one that stops it.
        assertEquals("Configuration error: PORT must be between 0 and 65535, got -1", output);
    }

    private Process service(Map<String, String> settings) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The service's class path without the tests' (whose logback-test.xml would take over its logging).
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath, Main.class.getName());
        builder.environment().putAll(settings);
        builder.environment().put("RULES_DIR", "rules");
        return builder.redirectErrorStream(true).start();
    }
}
