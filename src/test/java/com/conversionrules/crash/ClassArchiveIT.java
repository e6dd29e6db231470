package com.conversionrules.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code class-archive} on the packaged jar: it writes an archive, and a service started with it maps
 * its own classes, Drools' and Vert.x's from the archive instead of loading them from the jars.
 */
class ClassArchiveIT {
    @TempDir
    Path dir;

    @Test
    void aServiceStartedWithTheArchiveLoadsItsClassesFromIt() throws Exception {
        Path archive = dir.resolve("service.jsa");
        Path output = dir.resolve("class-archive.out");
        try (ServiceProcess service = new ServiceProcess(dir.resolve("data"), dir.resolve("service.log"), Map.of())) {
            Process command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", service.jar().toString(), "class-archive", archive.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            assertTrue(command.waitFor(5, TimeUnit.MINUTES), "class-archive did not finish within 5 minutes");
            String said = Files.readString(output);
            assertEquals(0, command.exitValue(), said);
            assertTrue(said.startsWith("wrote " + archive), said);
            assertTrue(Files.size(archive) > 1 << 20, "the archive holds " + Files.size(archive) + " bytes");

            Path loaded = dir.resolve("class-load.log");
            service.jvmOptions("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + loaded).start();
            List<String> lines = Files.readAllLines(loaded);
            for (String name : List.of("com.conversionrules.Main", "org.drools.core.reteoo.ObjectTypeNode",
                    "io.vertx.core.http.impl.Http1xServerConnection")) {
                Pattern fromArchive = Pattern.compile(".*\\] " + Pattern.quote(name) + " source: shared objects file.*");
                assertTrue(lines.stream().anyMatch(line -> fromArchive.matcher(line).matches()),
                        name + " was not mapped from the archive: "
                                + lines.stream().filter(line -> line.contains(name + " ")).toList());
            }
        }
    }
}
