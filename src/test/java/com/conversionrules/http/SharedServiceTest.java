package com.conversionrules.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One running service shared by every test of a class; tests keep apart by their own ids. */
abstract class SharedServiceTest {
    @TempDir
    static Path dataDir;
    static TestService service;

    @BeforeAll
    static void startService() throws Exception {
        service = TestService.start(dataDir);
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
    }
}
