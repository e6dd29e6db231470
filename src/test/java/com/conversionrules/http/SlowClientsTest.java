package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client cannot hold what it has not paid for: no body is read before a known key, a request (headers
 * and body) must arrive within HTTP_READ_TIMEOUT of its first byte, an idle connection is closed after HTTP_IDLE_TIMEOUT, connections
 * beyond HTTP_MAX_CONNECTIONS are closed, and bodies being read share HTTP_BODY_MEMORY.
 */
class SlowClientsTest {
    /** How long a test waits for the server to close a socket: a deadline, not a measurement. */
    private static final int DEADLINE_MILLIS = 15_000;
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;
    private TestService service;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        service = TestService.start(dir, Map.of(
                "HTTP_READ_TIMEOUT", "1s",
                "HTTP_IDLE_TIMEOUT", "3s",
                "HTTP_MAX_CONNECTIONS", "40",
                "HTTP_BODY_MEMORY", Integer.toString(4 * MIB)));
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        service.close();
    }

    @Test
    void aRequestWithoutAKnownKeyIsRefusedBeforeItsBodyIsRead() throws IOException {
        Socket socket = open();
        send(socket, head("/v1/events", MIB, null));
        String answer = readUntilClosed(socket);
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);

        Socket wrongKey = open();
        send(wrongKey, head("/v1/events", MIB, "wk_not-a-key-of-this-service"));
        assertTrue(readUntilClosed(wrongKey).startsWith("HTTP/1.1 401"));
    }

    @Test
    void aDribblersConnectionClosesAfterIts408NotAtTheIdleTimeout() throws Exception {
        String answer = dribbleUntilClosedByTheService("long-idle", TestService.WRITE_KEY);
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
    }

    @Test
    void aClientThatDribblesItsBodyAfterBeingRefusedIsClosedAtTheReadTimeout() throws Exception {
        // Refused before its body (an unknown key), it keeps the body coming: only the read timeout ends it.
        String answer = dribbleUntilClosedByTheService("refused-dribbler", "wk_not-a-key-of-this-service");
        assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
    }

    /**
     * Sends headers and the start of a body, then nothing, to a service whose idle timeout is far past the
     * socket's read deadline: only the service's own close ends the read. Returns what was answered.
     */
    private String dribbleUntilClosedByTheService(String name, String key) throws Exception {
        try (TestService longIdle = TestService.start(dir.resolve(name), Map.of(
                "HTTP_READ_TIMEOUT", "1s", "HTTP_IDLE_TIMEOUT", "10m"))) {
            Socket dribbler = new Socket("127.0.0.1", longIdle.port());
            dribbler.setSoTimeout(DEADLINE_MILLIS);
            sockets.add(dribbler);
            send(dribbler, head("/v1/events", 1000, key) + "{\"id\":");
            String answer = readUntilClosed(dribbler);
            expect(200, longIdle.get("/health/ready"));
            return answer;
        }
    }

    /** Both ways to the events route: without the router (DirectEventRoute) and through it (a query). */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/events", "/v1/events?via=router"})
    void aBodyThatDoesNotArriveInTimeGets408AndItsConnectionClosed(String path) throws IOException {
        Socket socket = open();
        send(socket, head(path, 1000, TestService.WRITE_KEY) + "{\"id\":");
        assertReadTimeout(readUntilClosed(socket));
        expect(200, service.get("/health/ready"));
    }

    @Test
    void eachRequestOfAKeptAliveConnectionIsTimedFromItsOwnHeaders() throws Exception {
        Socket socket = open();
        send(socket, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(readAnswer(socket).startsWith("HTTP/1.1 200"));

        // Idle past the read timeout (not the idle one): the wait before a request's headers is not its reading.
        Thread.sleep(1_500);
        String body = "{\"id\":\"e1\",\"userId\":\"ann\",\"name\":\"Active on Site\"}";
        send(socket, head("/v1/events", body.length(), TestService.WRITE_KEY) + body);
        String answered = readAnswer(socket);
        assertTrue(answered.startsWith("HTTP/1.1 200"), answered);

        // The connection's timer still watches: its next request dribbles and is cut off.
        send(socket, head("/v1/events", 1000, TestService.WRITE_KEY) + "{\"id\":");
        assertReadTimeout(readUntilClosed(socket));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/events", "/v1/events?via=router"})
    void bodiesBeingReadShareTheMemoryBudgetAndTheRestAreRefusedUnread(String path) throws IOException {
        // Four bodies of 1 MiB fill the 4 MiB budget while they dribble; the fifth is refused at once.
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket socket = open();
            send(socket, head(path, MIB, TestService.WRITE_KEY) + "{");
            slow.add(socket);
        }
        Socket fifth = open();
        send(fifth, head(path, MIB, TestService.WRITE_KEY));
        String refused = readUntilClosed(fifth);
        assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
        assertTrue(refused.contains("HTTP_BODY_MEMORY"), refused);
        assertTrue(refused.toLowerCase().contains("retry-after: 1"), refused);

        for (Socket socket : slow) {
            assertTrue(readUntilClosed(socket).startsWith("HTTP/1.1 408"));
        }
        // Their memory was given back: a request with a body gets in again.
        assertEquals(1, expect(200, service.post("/v1/events",
                "{\"id\":\"e1\",\"userId\":\"ann\",\"name\":\"Active on Site\"}")).body().path("accepted").asInt());
    }

    @Test
    void aClientThatDribblesItsHeadersIsCutOffAtTheReadTimeoutThoughItKeepsSending() throws Exception {
        // A byte every 200 ms keeps any idle timeout from firing (it is 10 minutes here anyway): only the
        // request's own deadline, counted from its first byte, ends it.
        try (TestService longIdle = TestService.start(dir.resolve("header-dribbler"), Map.of(
                "HTTP_READ_TIMEOUT", "1s", "HTTP_IDLE_TIMEOUT", "10m"))) {
            Socket dribbler = new Socket("127.0.0.1", longIdle.port());
            dribbler.setSoTimeout(DEADLINE_MILLIS);
            sockets.add(dribbler);
            send(dribbler, "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
            Thread dribbling = new Thread(() -> {
                try {
                    while (true) {
                        Thread.sleep(200);
                        send(dribbler, "a");
                    }
                } catch (IOException | InterruptedException closed) {
                    // the service closed the connection (or the test ended)
                }
            });
            dribbling.setDaemon(true);
            dribbling.start();
            String answer = readUntilClosed(dribbler);
            dribbling.interrupt();
            assertReadTimeout(answer);
            assertTrue(answer.contains("content-type: application/problem+json"), answer);
            expect(200, longIdle.get("/health/ready"));
        }
    }

    @Test
    void headersThatComeInPiecesWithinTheReadTimeoutAreAnswered() throws Exception {
        Socket socket = open();
        String body = "{\"id\":\"e2\",\"userId\":\"bob\",\"name\":\"Active on Site\"}";
        String request = head("/v1/events", body.length(), TestService.WRITE_KEY) + body;
        int third = request.length() / 3;
        send(socket, request.substring(0, third));
        Thread.sleep(300);
        send(socket, request.substring(third, 2 * third));
        Thread.sleep(300);
        send(socket, request.substring(2 * third));
        String answer = readAnswer(socket);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    }

    @Test
    void anIdleConnectionIsClosed() throws IOException {
        Socket silent = open();
        assertEquals("", readUntilClosed(silent), "closed without a word");

        Socket keptAlive = open();
        send(keptAlive, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
        String answer = readUntilClosed(keptAlive);
        assertTrue(answer.startsWith("HTTP/1.1 200"), "answered, then closed once idle: " + answer);
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAsTheyArrive() throws IOException {
        // The service's own client may hold a connection or two; fill the rest with idle sockets.
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            held.add(open());
        }
        int closedAtOnce = 0;
        for (Socket socket : held) {
            send(socket, "GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        for (Socket socket : held) {
            String answer = readUntilClosed(socket);
            if (answer.isEmpty()) {
                closedAtOnce++;
            } else {
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            }
        }
        assertTrue(closedAtOnce >= 5 && closedAtOnce <= 45 - 38, "40 allowed, some held by the test's own client: "
                + closedAtOnce + " closed at once");
        expect(200, service.get("/health/live"));
    }

    /** The 408 of a request that did not arrive in time, naming the setting to change. */
    private static void assertReadTimeout(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        assertTrue(answer.contains("HTTP_READ_TIMEOUT"), answer);
    }

    private Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", service.port());
        socket.setSoTimeout(DEADLINE_MILLIS);
        sockets.add(socket);
        return socket;
    }

    private static String head(String path, int contentLength, String key) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One answer of a kept-alive connection: its head and its Content-Length of body. */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed before a whole answer: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Everything the server writes until it closes the connection; fails if it does not within the deadline. */
    static String readUntilClosed(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open past " + DEADLINE_MILLIS + " ms; read so far: "
                    + text);
        } catch (IOException reset) {
            // A reset after the answer is a close too.
        }
        return text.toString();
    }
}
