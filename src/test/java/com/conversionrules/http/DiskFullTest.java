package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.conversionrules.logging.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the data directory on a small tmpfs (mounting one needs root, as in CI; the test
 * is skipped with a reason elsewhere). While the disk is full, writes fail with a 503 that changes
 * nothing, campaign changes are refused whole, readiness says why and liveness stays up; once space
 * is freed, the service takes writes again without a restart.
 */
class DiskFullTest {
    @TempDir
    Path dir;
    private Path mount;
    private TestService service;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = dir.resolve("small-disk");
        Files.createDirectories(mount);
        Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean mounted = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root): "
                + new String(process.getInputStream().readAllBytes()).strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (service != null) {
            service.close();
        }
        new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void aFullDiskRefusesWritesWholeAndTheServiceRecoversWhenSpaceIsFreed() throws Exception {
        service = TestService.start(mount.resolve("data"));
        service.liveCampaign("shop", "multi_touch", "placed_order");
        service.enroll("shop", "ann", "2026-11-01T10:00:00Z");
        service.enroll("shop", "bob", "2026-11-01T10:00:00Z");

        Path filler = mount.resolve("filler");
        fill(filler);
        // Twenty page views of 30 KB each beside the orders: a commit that reuses the store log's
        // space (SQLite writes over frames a checkpoint has copied) would need no new block at all.
        StringBuilder events = new StringBuilder("{\"id\":\"o-ann\",\"userId\":\"ann\",\"name\":\"Placed Order\"},"
                + "{\"id\":\"o-bob\",\"userId\":\"bob\",\"name\":\"Placed Order\"}");
        for (int i = 0; i < 20; i++) {
            events.append(",{\"id\":\"view-").append(i).append("\",\"userId\":\"reader-").append(i)
                    .append("\",\"name\":\"Viewed Page\",\"properties\":{\"text\":\"").append(filler(i, 30_000)).append("\"}}");
        }
        String orders = "{\"events\":[" + events + "]}";
        TestService.Reply refused;
        try (LogCapture log = LogCapture.of("com.conversionrules.store.StoreWriter")) {
            refused = service.post("/v1/events", orders);
            assertTrue(log.messages(Level.ERROR).get(0).startsWith("The store could not commit"), "logged");
        }
        problem(503, refused);
        assertTrue(refused.detail().contains("nothing of this request was applied"), refused.detail());
        TestService.Reply unready = service.get("/health/ready");
        problem(503, unready);
        assertTrue(unready.detail().contains("the store has not been able to write"), unready.detail());
        expect(200, service.get("/health/live"));
        problem(503, service.post("/v1/campaigns/shop/end"));
        assertEquals("live", expect(200, service.get("/v1/campaigns/shop")).body().path("status").asText(),
                "the end was refused whole");
        assertEquals("active", service.status("shop", "ann"));
        assertEquals("active", service.status("shop", "bob"));

        Files.delete(filler);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (service.get("/health/ready").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        expect(200, service.get("/health/ready"));
        assertEquals(22, expect(200, service.post("/v1/events", orders)).body().path("accepted").asInt(),
                "the refused events are new when sent again");
        assertEquals("converted", service.status("shop", "ann"));
        assertEquals("converted", service.status("shop", "bob"));
        expect(200, service.post("/v1/campaigns/shop/end"));
    }

    /** Text that does not repeat within {@code length}, so no page of it is like another. */
    private static String filler(int seed, int length) {
        StringBuilder text = new StringBuilder(length);
        Random random = new Random(seed);
        while (text.length() < length) {
            text.append(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
        }
        return text.substring(0, length);
    }

    /** Writes until the filesystem has no room left. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }
}
