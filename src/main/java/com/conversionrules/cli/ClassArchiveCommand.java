package com.conversionrules.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code class-archive [FILE]}: writes a class-data sharing archive (AppCDS) of the classes a start
 * and a restart of this jar load, so a JVM started with {@code -XX:SharedArchiveFile=FILE} maps them
 * instead of loading and verifying them one by one (about 0.6 s of every start on two cores;
 * BENCHMARKS.md). Two starts of the service in child JVMs on a temporary data directory (the first
 * makes a campaign with an enrollment and an event, the second restarts on it and takes an event while
 * the JVM lists the classes it loads), then {@code java -Xshare:dump} over that list.
 *
 * <p>The archive holds for this jar, its {@code lib/} and this JVM as they are: a JVM given an archive
 * that does not match them ignores it and starts without sharing. Lambda proxies are left out of the
 * list: JDK 17.0.15's dump crashes on them (SIGSEGV in adjust_lambda_proxy_class_dictionary).
 */
public final class ClassArchiveCommand {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String ADMIN_KEY = "ak_class-archive-training-0123";
    private static final String WRITE_KEY = "wk_class-archive-training-0123";

    private final Path jar;
    private final Path work;
    private final Path log;
    private final String rulesDir;
    /** HTTP/1.1: the service does not take cleartext HTTP/2, so the client's upgrade offer would only cost. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ClassArchiveCommand(Path jar, Path work, String rulesDir) {
        this.jar = jar;
        this.work = work;
        this.log = work.resolve("training.log");
        this.rulesDir = rulesDir;
    }

    /**
     * Writes the archive to {@code archive} (null: beside the jar, as {@code .jsa}); the training starts
     * load the rules in {@code rulesDir}.
     */
    static int run(Path archive, String rulesDir, PrintStream out, PrintStream err) {
        Path folder = archive == null ? null : archive.toAbsolutePath().getParent();
        if (folder != null && !(Files.isDirectory(folder) && Files.isWritable(folder))) {
            // Found now, not by the dump after two training starts.
            err.println("class-archive: cannot write " + archive + ": " + folder + " is not a writable folder");
            return 1;
        }
        String classPath = System.getProperty("java.class.path");
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            err.println("class-archive runs from the packaged jar only (java -jar conversion-rules.jar class-archive)");
            return 1;
        }
        if (archive == null) {
            archive = Path.of(classPath.substring(0, classPath.length() - ".jar".length()) + ".jsa");
        }
        Path work;
        try {
            work = Files.createTempDirectory("class-archive");
        } catch (IOException e) {
            err.println("class-archive: cannot make a temporary folder: " + e.getMessage());
            return 1;
        }
        ClassArchiveCommand command = new ClassArchiveCommand(Path.of(classPath), work, rulesDir);
        try {
            Path classes = command.trainingClassList();
            command.dump(classes, archive);
            out.printf("wrote %s (%d classes, %d MB); start with: java -XX:SharedArchiveFile=%s -jar %s%n", archive,
                    lines(classes), Files.size(archive) >> 20, archive, classPath);
            return 0;
        } catch (IOException | IllegalStateException e) {
            err.println("class-archive: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("class-archive: interrupted");
            return 1;
        } finally {
            deleteQuietly(work);
        }
    }

    /** Starts twice on one data directory and returns the classes the second start loaded, lambda proxies left out. */
    private Path trainingClassList() throws IOException, InterruptedException {
        Path data = work.resolve("data");
        Path listed = work.resolve("loaded.classlist");
        try (Training first = start(data, List.of())) {
            first.call("POST", "/v1/campaigns", "{\"id\":\"training\",\"name\":\"training\",\"type\":\"multi_touch\"}");
            first.call("POST", "/v1/campaigns/training/launch", null);
            first.call("POST", "/v1/campaigns/training/enrollments", "{\"userId\":\"training-user\"}");
            first.call("POST", "/v1/events", "{\"id\":\"e1\",\"userId\":\"training-user\",\"name\":\"training\"}");
        }
        try (Training restart = start(data, List.of("-XX:DumpLoadedClassList=" + listed))) {
            restart.call("POST", "/v1/events", "{\"id\":\"e2\",\"userId\":\"training-user\",\"name\":\"training\"}");
            restart.call("GET", "/v1/campaigns/training/stats", null);
        }
        Path kept = work.resolve("archived.classlist");
        try (Stream<String> classes = Files.lines(listed)) {
            Files.write(kept, (Iterable<String>) classes.filter(line -> !line.startsWith("@"))::iterator);
        }
        return kept;
    }

    private void dump(Path classes, Path archive) throws IOException, InterruptedException {
        Files.deleteIfExists(archive);
        Process dump = new ProcessBuilder(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + classes,
                "-XX:SharedArchiveFile=" + archive, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (dump.waitFor() != 0 || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("java -Xshare:dump failed (exit " + dump.exitValue() + "): " + tail(log));
        }
    }

    private Training start(Path data, List<String> jvmOptions) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Nothing of the caller's settings but the rules: no cluster, no webhook, no metrics port.
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(Map.of("HOST", "127.0.0.1", "PORT", Integer.toString(port), "DATA_DIR", data.toString(),
                "RULES_DIR", rulesDir, "ADMIN_KEYS", ADMIN_KEY, "WRITE_KEYS", WRITE_KEY, "LOG_LEVEL", "WARN"));
        Training training = new Training(builder.start(), port);
        training.awaitReady();
        return training;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** One training start of the service. */
    private final class Training implements AutoCloseable {
        private final Process process;
        private final int port;

        private Training(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        private void awaitReady() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!ready()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the training start of the service failed: " + tail(log));
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("the training start was not ready within " + START_TIMEOUT);
                }
                Thread.sleep(50);
            }
        }

        private boolean ready() throws InterruptedException {
            try {
                return http.send(request("GET", "/health/ready", null), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }

        private void call(String method, String path, String body) throws IOException, InterruptedException {
            HttpResponse<String> response;
            try {
                response = http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException("training request " + method + " " + path + " failed (" + e
                        + "); the training start's log:\n" + tail(log));
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("training request " + method + " " + path + " answered "
                        + response.statusCode() + ": " + response.body());
            }
        }

        private HttpRequest request(String method, String path, String body) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json")
                    .header("authorization", "Bearer " + (path.equals("/v1/events") ? WRITE_KEY : ADMIN_KEY))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }

        /** SIGTERM, and waits for the clean stop. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    private static long lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    /** The last lines of a child's output but the dump's warnings about classes it skipped. */
    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(line -> !line.contains("][warning][cds]")).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary folder left behind is the system's to clean.
        }
    }
}
