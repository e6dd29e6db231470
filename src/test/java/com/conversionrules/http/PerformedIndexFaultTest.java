package com.conversionrules.http;

import static com.conversionrules.http.TestService.assertDetailContains;
import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A performed-event index that cannot open (here its folder is a file) fails performed-event
 * queries with a 503 that says so; events are still taken and the service stays ready.
 */
class PerformedIndexFaultTest {
    @TempDir
    Path dir;

    @Test
    void aBrokenIndexFailsOnlyPerformedQueries() throws Exception {
        Files.writeString(dir.resolve("performed"), "not a folder");
        try (TestService service = TestService.start(dir)) {
            service.event("o1", "ann", "Placed Order", "2026-11-30T10:00:00Z", null);
            TestService.Reply reply = service.get("/v1/users/ann/performed?event=Placed%20Order");
            problem(503, reply);
            assertDetailContains(reply, "could not read its store", "performed-event index");
            service.event("o2", "ann", "Placed Order", "2026-11-30T10:01:00Z", null);
            expect(200, service.get("/health/ready"));
        }
    }
}
