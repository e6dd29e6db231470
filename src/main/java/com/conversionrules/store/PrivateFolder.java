package com.conversionrules.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory holds events with user data and the API keys: the service's user alone may
 * read it (0700), and each file in it is created 0600.
 */
public final class PrivateFolder {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFolder() {
    }

    /** Creates the folder 0700 if missing, and takes access from others if it exists. */
    public static void create(Path folder) throws IOException {
        Files.createDirectories(folder);
        if (POSIX) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Creates the file empty and 0600 if missing, so what is written to it later is never readable by others. */
    public static void createFile(Path file) throws IOException {
        if (Files.exists(file)) {
            if (POSIX) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return;
        }
        if (POSIX) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }
}
