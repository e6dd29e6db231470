package com.conversionrules.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of a service that gets killed: sends each request until it is acknowledged, as real
 * clients retry, and counts what it sent, retried and got acknowledged. Safe for concurrent use.
 */
final class PatientClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETRY_PAUSE_MS = 100;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final long deadline;
    private final Duration patience;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong enrollments = new AtomicLong();

    /** Gives up on a request once {@code patience} has passed since this client was made. */
    PatientClient(int port, Duration patience) {
        this.base = "http://127.0.0.1:" + port;
        this.patience = patience;
        this.deadline = System.nanoTime() + patience.toNanos();
    }

    long deadline() {
        return deadline;
    }

    long sent() {
        return sent.get();
    }

    long retries() {
        return retries.get();
    }

    /** Requests acknowledged, of every kind. */
    long acknowledged() {
        return acknowledged.get();
    }

    long acknowledgedEvents() {
        return events.get();
    }

    long acknowledgedEnrollments() {
        return enrollments.get();
    }

    void sendUntilAcknowledged(Call call) throws InterruptedException {
        sendUntilAcknowledged(call, null);
    }

    /**
     * Sends until a 2xx (or the 409 of a create or launch that landed before a crash); gives up at the
     * deadline, or at once when the killer, which brings the service back, has failed.
     */
    void sendUntilAcknowledged(Call call, Future<?> killer) throws InterruptedException {
        String last = "no answer";
        while (true) {
            if (killer != null && killer.isDone()) {
                try {
                    killer.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the killer failed, so the service may be down for good", e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(call.method() + " " + call.path() + " was not acknowledged within "
                        + patience + "; last: " + last);
            }
            sent.incrementAndGet();
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.path()))
                        .timeout(call.timeout()).header("content-type", call.contentType())
                        .header("authorization", "Bearer " + ServiceProcess.keyFor(call.path()));
                request.method(call.method(), call.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(call.body()));
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2 || (status == 409 && call.conflictMeansDone())) {
                    acknowledged.incrementAndGet();
                    (call.isEvents() ? events : enrollments).addAndGet(call.items());
                    return;
                }
                if (status != 429 && status != 503) {
                    throw new IllegalStateException("unexpected status " + status + " for " + call.path());
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                // The service is down: wait for the restart.
                last = e.toString();
            }
            retries.incrementAndGet();
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    /** A read that must answer 200 (the service is up and ready). */
    JsonNode get(String path) throws IOException, InterruptedException {
        JsonNode body = getOrNull(path);
        if (body == null) {
            throw new IllegalStateException("GET " + path + " answered 404");
        }
        return body;
    }

    /** A read that answers 200, or 404 (null) for something that is not there. */
    JsonNode getOrNull(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("authorization", "Bearer " + ServiceProcess.keyFor(path)).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
