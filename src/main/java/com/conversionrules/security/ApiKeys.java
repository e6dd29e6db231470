package com.conversionrules.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys the service accepts, held as SHA-256 digests. A presented key is compared with every
 * known digest through {@link MessageDigest#isEqual}, without stopping at a match, so the time a
 * check takes says nothing about how much of a key was right or which key it was.
 */
public final class ApiKeys {
    /** One per thread: looking the algorithm up for each request cost more than the digest. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    });

    private record Known(byte[] digest, KeyKind kind) {
    }

    private final List<Known> known;

    private ApiKeys(List<Known> known) {
        this.known = known;
    }

    public static ApiKeys of(List<String> writeKeys, List<String> adminKeys) {
        List<Known> known = new ArrayList<>();
        writeKeys.forEach(key -> known.add(new Known(digest(key), KeyKind.WRITE)));
        adminKeys.forEach(key -> known.add(new Known(digest(key), KeyKind.ADMIN)));
        return new ApiKeys(List.copyOf(known));
    }

    /** The kind of a presented key; empty when it is no key of this service. */
    public Optional<KeyKind> kindOf(String presented) {
        byte[] digest = digest(presented);
        KeyKind match = null;
        for (Known candidate : known) {
            if (MessageDigest.isEqual(candidate.digest(), digest)) {
                match = candidate.kind();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] digest(String key) {
        return SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    }
}
