package com.conversionrules.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The shipped rules folder, copied where a test may change it. */
public final class ShippedRules {
    public static final Path FOLDER = Path.of("rules");

    private ShippedRules() {
    }

    /** Copies every file of the shipped rules folder into {@code target}, created if needed. */
    public static Path copyTo(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(FOLDER)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }
}
