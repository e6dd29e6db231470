package com.conversionrules.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which keys the service accepts: the configured {@code WRITE_KEYS} / {@code ADMIN_KEYS},
 * and for a kind with none configured, the generated ones in the data directory (created and
 * printed once, at the first start).
 */
public final class KeySetup {
    private static final Logger LOG = LoggerFactory.getLogger(KeySetup.class);

    private KeySetup() {
    }

    public static ApiKeys resolve(List<String> writeKeys, List<String> adminKeys, Path dataDir) throws IOException {
        if (!writeKeys.isEmpty() && !adminKeys.isEmpty()) {
            return ApiKeys.of(writeKeys, adminKeys);
        }
        KeyFile.Keys generated = KeyFile.loadOrCreate(dataDir);
        if (generated.created()) {
            LOG.warn("""
                    Generated API keys (kept in {}, readable by this user only; shown only now):
                      write key (POST /v1/events, Segment routes): {}
                      admin key (everything else):                 {}""",
                    generated.file(), generated.writeKeys().get(0), generated.adminKeys().get(0));
        }
        return ApiKeys.of(writeKeys.isEmpty() ? generated.writeKeys() : writeKeys,
                adminKeys.isEmpty() ? generated.adminKeys() : adminKeys);
    }
}
