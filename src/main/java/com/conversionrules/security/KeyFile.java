package com.conversionrules.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The generated keys in {@code keys.json} under the data directory: created at the first start with
 * one write key and one admin key, readable by the service's user only (0600), kept across restarts.
 */
public final class KeyFile {
    public static final String FILE_NAME = "keys.json";
    private static final int RANDOM_BYTES = 24;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The keys in the file, and whether this start created it. */
    public record Keys(List<String> writeKeys, List<String> adminKeys, boolean created, Path file) {
    }

    private KeyFile() {
    }

    public static Keys loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        Files.createDirectories(dataDir);
        List<String> writeKeys = List.of(generate("wk_"));
        List<String> adminKeys = List.of(generate("ak_"));
        ObjectNode content = JSON.createObjectNode();
        content.putArray("writeKeys").add(writeKeys.get(0));
        content.putArray("adminKeys").add(adminKeys.get(0));
        try {
            write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        } catch (FileAlreadyExistsException e) {
            // Another start created it first: its keys are the ones to use.
            return read(file);
        }
        return new Keys(writeKeys, adminKeys, true, file);
    }

    /** A new key: the prefix, then 32 URL-safe characters from 24 random bytes (192 bits). */
    static String generate(String prefix) {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void write(Path file, byte[] content) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static Keys read(Path file) throws IOException {
        JsonNode content = JSON.readTree(file.toFile());
        return new Keys(list(content, "writeKeys", file), list(content, "adminKeys", file), false, file);
    }

    private static List<String> list(JsonNode content, String field, Path file) throws IOException {
        JsonNode array = content == null ? null : content.get(field);
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new IOException(file + " needs a non-empty array " + field + "; delete the file to generate new keys");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode key : array) {
            if (!key.isTextual() || key.asText().isBlank()) {
                throw new IOException(file + ": every entry of " + field + " must be a non-empty string");
            }
            keys.add(key.asText());
        }
        return List.copyOf(keys);
    }
}
