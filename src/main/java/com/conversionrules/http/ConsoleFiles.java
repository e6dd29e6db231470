package com.conversionrules.http;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The console's files, read once from the jar into memory. Vert.x's static handler looks in the
 * working directory before the class path, so any {@code console/} folder beside the service would
 * be served in place of the jar's; these are always the jar's own, and no request reads a disk.
 */
final class ConsoleFiles {
    static final String ROOT = "/console";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    /** A file's bytes, its content type and a strong ETag of its contents. */
    record File(Buffer content, String contentType, String etag) {
    }

    private final Map<String, File> byPath;

    private ConsoleFiles(Map<String, File> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /** Reads every file under {@code console/} on the class path, from the jar or from a classes folder. */
    static ConsoleFiles fromClasspath() {
        URL index = ConsoleFiles.class.getResource(ROOT + "/index.html");
        if (index == null) {
            throw new IllegalStateException(ROOT + "/index.html is missing from the classpath");
        }
        try {
            URI uri = index.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return read(Path.of(uri).getParent());
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return read(jar.getPath(ROOT));
            } catch (FileSystemAlreadyExistsException e) {
                return read(FileSystems.getFileSystem(uri).getPath(ROOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the console files failed", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unreadable console location " + index, e);
        }
    }

    private static ConsoleFiles read(Path root) throws IOException {
        Map<String, File> files = new HashMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(Files::isRegularFile).toList();
        }
        for (Path path : paths) {
            String name = path.getFileName().toString();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            if (type == null) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(path);
            String relative = "/" + root.relativize(path).toString().replace('\\', '/');
            files.put(relative, new File(Buffer.buffer(bytes), type, etag(bytes)));
        }
        return new ConsoleFiles(files);
    }

    /** The file at a path below the console's root, e.g. {@code /assets/app.js}; null when there is none. */
    File find(String path) {
        return byPath.get(path);
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
