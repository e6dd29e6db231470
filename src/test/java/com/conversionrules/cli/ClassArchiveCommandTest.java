package com.conversionrules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code class-archive} outside the packaged jar says where it runs and fails; the archive itself is
 * written and used in ClassArchiveIT, on the packaged jar.
 */
class ClassArchiveCommandTest {
    @Test
    void outsideThePackagedJarItSaysToRunItFromTheJar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Commands.run(new String[] {"class-archive"}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("class-archive runs from the packaged jar only (java -jar conversion-rules.jar class-archive)\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFileInAFolderThatIsNotThereIsRefusedBeforeAnyTraining(@TempDir Path dir) {
        Path archive = dir.resolve("missing").resolve("service.jsa");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Commands.run(new String[] {"class-archive", archive.toString()}, Map.of(), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertEquals("class-archive: cannot write " + archive + ": " + dir.resolve("missing") + " is not a writable folder\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void moreThanOneFileIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Commands.run(new String[] {"class-archive", "a.jsa", "b.jsa"}, Map.of(), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Commands.USAGE, code);
    }
}
