package com.conversionrules.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service on a small heap (96 MB) under a flood of clients without keys: some announce
 * a 1 MB body and dribble it, others dribble their headers. Before the fix each body-dribbler pinned
 * about 2 MB and a few thousand took the JVM into back-to-back full GCs; now a body is never read
 * without a known key, so health and real clients keep being answered throughout and the heap stays
 * small.
 */
class SlowClientFloodIT {
    private static final int BODY_DRIBBLERS = 600;
    private static final int HEADER_DRIBBLERS = 300;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    @Timeout(300)
    void healthAndRealClientsAreAnsweredUnderAFloodOfSlowUnauthenticatedClients() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dir.resolve("data"), dir.resolve("service.log"),
                Map.of("HTTP_READ_TIMEOUT", "5s", "HTTP_IDLE_TIMEOUT", "5s", "HTTP_MAX_CONNECTIONS", "2000"))
                .heap("96m")) {
            service.start();
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < BODY_DRIBBLERS; i++) {
                    Socket socket = open(service);
                    write(socket, "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1048576\r\n\r\n{\"events\":[");
                    flood.add(socket);
                }
                for (int i = 0; i < HEADER_DRIBBLERS; i++) {
                    Socket socket = open(service);
                    write(socket, "POST /v1/events HTTP/1.1\r\nHost: x\r\n");
                    flood.add(socket);
                }
                int refusedUnread = 0;
                for (int round = 0; round < 10; round++) {
                    // Keep dribbling: a byte per socket per round (header-dribblers stay under the idle timeout).
                    for (Socket socket : flood) {
                        if (!socket.isClosed()) {
                            try {
                                write(socket, round % 2 == 0 ? "X" : "Y");
                            } catch (IOException closedByServer) {
                                socket.close();
                            }
                        }
                    }
                    assertEquals(200, get(service, "/health/ready").statusCode(), "ready during the flood");
                    HttpResponse<String> event = post(service, "/v1/events", "{\"id\":\"real-" + round
                            + "\",\"userId\":\"ann\",\"name\":\"Active on Site\"}");
                    assertEquals(200, event.statusCode(), event.body());
                    assertTrue(event.body().contains("\"accepted\":1"), event.body());
                    Thread.sleep(300);
                }
                for (int i = 0; i < BODY_DRIBBLERS; i++) {
                    String answer = readSome(flood.get(i));
                    if (answer.startsWith("HTTP/1.1 401")) {
                        refusedUnread++;
                    }
                }
                assertEquals(BODY_DRIBBLERS, refusedUnread, "every body-dribbler got its 401 without its body read");
                HttpResponse<String> metrics = get(service, "/metrics");
                long heapUsed = heapUsed(metrics.body());
                assertTrue(heapUsed < 96L * 1024 * 1024, "heap stays within the 96 MB JVM: " + heapUsed);
                System.out.printf("flood: %d body-dribblers and %d header-dribblers without keys; heap used %.1f MB "
                        + "after the flood (-Xmx96m)%n", BODY_DRIBBLERS, HEADER_DRIBBLERS, heapUsed / 1048576.0);
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
        }
    }

    private static Socket open(ServiceProcess service) throws IOException {
        Socket socket = new Socket("127.0.0.1", service.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readSome(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256];
            int read = in.read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private HttpResponse<String> get(ServiceProcess service, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .header("authorization", "Bearer " + ServiceProcess.keyFor(path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ServiceProcess service, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .header("authorization", "Bearer " + ServiceProcess.keyFor(path))
                .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The heap in use, from the service's own Prometheus meters. */
    private static long heapUsed(String metrics) {
        return (long) metrics.lines()
                .filter(line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
