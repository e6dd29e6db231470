package com.conversionrules.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys are told apart by kind, near misses are refused, and generated keys persist privately. */
class ApiKeysTest {
    private static final String WRITE = "wk_0123456789abcdef0123456789abcdef";
    private static final String ADMIN = "ak_0123456789abcdef0123456789abcdef";

    @TempDir
    Path dataDir;

    @Test
    void eachKeyIsRecognisedAsItsOwnKind() {
        ApiKeys keys = ApiKeys.of(List.of(WRITE), List.of(ADMIN, "ak_second-admin-key-000000"));
        assertEquals(Optional.of(KeyKind.WRITE), keys.kindOf(WRITE));
        assertEquals(Optional.of(KeyKind.ADMIN), keys.kindOf(ADMIN));
        assertEquals(Optional.of(KeyKind.ADMIN), keys.kindOf("ak_second-admin-key-000000"));
    }

    @Test
    void nearMissesPrefixesAndExtensionsAreNotKeys() {
        ApiKeys keys = ApiKeys.of(List.of(WRITE), List.of(ADMIN));
        // Digests of equal length are compared, so a prefix or a longer key cannot match part-way.
        assertEquals(Optional.empty(), keys.kindOf(WRITE.substring(0, WRITE.length() - 1)));
        assertEquals(Optional.empty(), keys.kindOf(WRITE + "0"));
        assertEquals(Optional.empty(), keys.kindOf(WRITE.substring(0, WRITE.length() - 1) + "0"));
        assertEquals(Optional.empty(), keys.kindOf(""));
        assertEquals(Optional.empty(), keys.kindOf(WRITE.toUpperCase()));
    }

    @Test
    void theFirstStartGeneratesOneKeyOfEachKindInAPrivateFileAndLaterStartsReadIt() throws Exception {
        KeyFile.Keys first = KeyFile.loadOrCreate(dataDir);
        assertTrue(first.created());
        assertTrue(first.writeKeys().get(0).matches("wk_[A-Za-z0-9_-]{32}"), first.writeKeys().toString());
        assertTrue(first.adminKeys().get(0).matches("ak_[A-Za-z0-9_-]{32}"), first.adminKeys().toString());
        Path file = dataDir.resolve(KeyFile.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        KeyFile.Keys second = KeyFile.loadOrCreate(dataDir);
        assertEquals(false, second.created());
        assertEquals(first.writeKeys(), second.writeKeys());
        assertEquals(first.adminKeys(), second.adminKeys());
    }

    @Test
    void generatedKeysDifferEachTime() {
        assertNotEquals(KeyFile.generate("wk_"), KeyFile.generate("wk_"));
    }

    @Test
    void configuredKeysOfOneKindAreUsedBesideGeneratedKeysOfTheOther() throws Exception {
        ApiKeys keys = KeySetup.resolve(List.of(), List.of(ADMIN), dataDir);
        KeyFile.Keys generated = KeyFile.loadOrCreate(dataDir);
        assertEquals(Optional.of(KeyKind.ADMIN), keys.kindOf(ADMIN));
        assertEquals(Optional.of(KeyKind.WRITE), keys.kindOf(generated.writeKeys().get(0)));
        assertEquals(Optional.empty(), keys.kindOf(generated.adminKeys().get(0)));
    }
}
