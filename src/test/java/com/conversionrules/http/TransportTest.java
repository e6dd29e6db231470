package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On Linux x86_64 (the image, CI) the HTTP server runs on Netty's native epoll transport. */
class TransportTest {
    @TempDir
    Path dataDir;

    @Test
    void linuxX8664ServesOverNativeEpoll() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the native transport shipped is Linux x86_64's; elsewhere the service runs on Java NIO");
        try (TestService service = TestService.start(dataDir)) {
            assertEquals("native epoll transport", service.transport());
            assertEquals(200, service.get("/health/ready").status());
        }
    }
}
