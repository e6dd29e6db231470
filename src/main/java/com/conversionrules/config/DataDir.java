package com.conversionrules.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data folder must be a folder this process can write, checked before anything opens it: a
 * bind-mounted folder owned by another user otherwise surfaces as SQLite's "unable to open the
 * database file" and a stack trace.
 */
public final class DataDir {
    private DataDir() {
    }

    /** Creates the folder if needed; throws with what to do when it cannot be used. */
    public static void requireWritable(Path dir) {
        String user = System.getProperty("user.name", "?");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(Config.DATA_DIR + " " + dir + " is a file, not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException(Config.DATA_DIR + " " + dir + " cannot be created by user '" + user
                    + "': " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException(Config.DATA_DIR + " " + dir + " is not writable by user '" + user
                    + "', which this service runs as: make that user the folder's owner (in Docker, run with "
                    + "--user \"$(id -u):$(id -g)\" for a folder of yours, or chown it to uid 10001)");
        }
    }
}
