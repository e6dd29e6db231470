package com.conversionrules.crash;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged service ({@code target/conversion-rules.jar}, as {@code java -jar} runs it) in a JVM of
 * its own, which a test can kill with SIGKILL and start again on the same data. The integration
 * tests run after {@code package}, so the jar is the one {@code mvn verify} just built.
 */
final class ServiceProcess implements AutoCloseable {
    static final String ADMIN_KEY = "ak_process-admin-key-0123456789";
    static final String WRITE_KEY = "wk_process-write-key-0123456789";
    /** The signing secret for a webhook the test points the service at. */
    static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** Generous: a restart with millions of enrollments on a loaded machine takes tens of seconds. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Map<String, String> env;
    private final Path log;
    private final Path jar;
    private String heap = "512m";
    private List<String> jvmOptions = List.of();
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private long logOffset;

    ServiceProcess(Path dataDir, Path log, Map<String, String> settings) throws IOException {
        this(dataDir, log, settings, 0);
    }

    /** On {@code port}, or on a free port when it is 0. */
    ServiceProcess(Path dataDir, Path log, Map<String, String> settings, int port) throws IOException {
        this.jar = Path.of(System.getProperty("service.jar", "target/conversion-rules.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run the packaged service; run mvn verify");
        }
        try (ServerSocket probe = new ServerSocket(port)) {
            this.port = probe.getLocalPort();
        }
        this.log = log;
        this.env = new HashMap<>(settings);
        env.put("HOST", "127.0.0.1");
        env.put("PORT", Integer.toString(this.port));
        env.put("DATA_DIR", dataDir.toString());
        env.put("RULES_DIR", "rules");
        env.put("ADMIN_KEYS", ADMIN_KEY);
        env.put("WRITE_KEYS", WRITE_KEY);
    }

    /** The key a request to {@code path} needs: the write key for ingestion, the admin key for the rest. */
    static String keyFor(String path) {
        return path.startsWith("/v1/events") ? WRITE_KEY : ADMIN_KEY;
    }

    Path jar() {
        return jar;
    }

    int port() {
        return port;
    }

    /** The JVM's largest heap for the next start (512m unless told). */
    ServiceProcess heap(String size) {
        this.heap = size;
        return this;
    }

    /** More JVM options for the next start. */
    ServiceProcess jvmOptions(String... options) {
        this.jvmOptions = List.of(options);
        return this;
    }

    /** Starts the JVM and waits until it reports ready. */
    void start() throws IOException, InterruptedException {
        launch();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service died at start; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service was not ready within " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(50);
        }
    }

    /** Starts the JVM without waiting for it. */
    void launch() throws IOException {
        logOffset = Files.exists(log) ? Files.size(log) : 0;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
    }

    /** Waits until the JVM started last has logged a line containing {@code marker}. */
    void awaitLogged(String marker) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!loggedSinceLaunch().contains(marker)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service died before logging '" + marker + "'; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the service did not log '" + marker + "' within " + START_TIMEOUT);
            }
            Thread.sleep(5);
        }
    }

    /** What the JVM started last has logged so far. */
    String loggedSinceLaunch() throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(logOffset, all.length), (int) Math.max(0, all.length - logOffset));
    }

    /** SIGTERM, as an orchestrator stops a container; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(1)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
