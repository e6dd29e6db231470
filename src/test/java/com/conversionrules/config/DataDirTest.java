package com.conversionrules.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data folder the service cannot use is refused at start with what to do, before the store opens it. */
class DataDirTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFolderIsCreated() {
        DataDir.requireWritable(dir.resolve("a/b"));
        assertTrue(Files.isDirectory(dir.resolve("a/b")));
    }

    @Test
    void aFileOrAFolderThatCannotBeCreatedIsRefusedWithItsName() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "not a folder");
        String isFile = assertThrows(IllegalArgumentException.class, () -> DataDir.requireWritable(file)).getMessage();
        assertTrue(isFile.startsWith("DATA_DIR " + file + " is a file"), isFile);
        String cannot = assertThrows(IllegalArgumentException.class,
                () -> DataDir.requireWritable(file.resolve("inside"))).getMessage();
        assertTrue(cannot.contains("cannot be created by user"), cannot);
    }
}
