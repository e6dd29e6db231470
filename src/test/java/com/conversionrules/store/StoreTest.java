package com.conversionrules.store;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's life cycle as its callers see it. */
class StoreTest {
    @TempDir
    Path dataDir;

    @Test
    void aReadAfterCloseFailsItsFutureRatherThanThrowingAtTheCaller() throws Exception {
        Store store = new Store(dataDir);
        store.close();

        CompletableFuture<Integer> read = store.read(connection -> 1);
        ExecutionException failure = assertThrows(ExecutionException.class, read::get);
        assertInstanceOf(StoreUnavailableException.class, failure.getCause());
    }
}
