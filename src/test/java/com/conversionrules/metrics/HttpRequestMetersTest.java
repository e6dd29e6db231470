package com.conversionrules.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hand-written request meters against Vert.x Micrometer's, on the same requests. */
class HttpRequestMetersTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void scrapeHasTheSeriesAndValuesVertxMicrometerGives() throws Exception {
        String vertx = scrapeAfterRequests(MicrometerMetricsFactory::new, 0);
        String ours = scrapeAfterRequests(VertxMeters::new, 0);
        // Times differ from run to run; every other value (counts, bytes, active requests) must not.
        assertEquals(withoutTimes(vertx), withoutTimes(ours));
        assertTrue(ours.contains("vertx_http_server_requests_total{code=\"200\",method=\"POST\",route=\"/events\"} 2.0"),
                ours);
        assertTrue(ours.contains("vertx_http_server_response_time_seconds_count{code=\"404\",method=\"GET\",route=\"\"} 1"),
                ours);
    }

    @Test
    void inventedMethodsShareOneSeries() throws Exception {
        String ours = scrapeAfterRequests(VertxMeters::new, 20);
        List<String> methods = ours.lines().filter(line -> line.startsWith("vertx_http_server_requests_total"))
                .map(line -> line.replaceAll(".*method=\"([^\"]*)\".*", "$1")).distinct().sorted().toList();
        assertEquals(List.of("GET", "OTHER", "POST"), methods, ours);
        assertTrue(ours.contains("vertx_http_server_request_bytes_count{method=\"OTHER\"} 20"), ours);
        assertFalse(ours.contains("FROB"), ours);
    }

    /**
     * A connection accepted while its server binds is never reported as connected (Vert.x sets the
     * server's metrics after the bind), so its socket metric is null: Vert.x Micrometer's threw on it
     * when the first response's bytes were counted, and that response never completed.
     */
    @Test
    void aConnectionNeverReportedAsConnectedIsLeftOutOfTheSocketMeters() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new VertxMeters(registry))
                .build();
        try {
            @SuppressWarnings("unchecked")
            HttpServerMetrics<Object, Object, Object> metrics = (HttpServerMetrics<Object, Object, Object>)
                    ((VertxInternal) vertx).metrics().createHttpServerMetrics(new HttpServerOptions(),
                            SocketAddress.inetSocketAddress(8080, "127.0.0.1"));
            SocketAddress remote = SocketAddress.inetSocketAddress(50000, "127.0.0.1");
            assertDoesNotThrow(() -> {
                metrics.bytesRead(null, remote, 100);
                metrics.bytesWritten(null, remote, 200);
                metrics.exceptionOccurred(null, remote, new IllegalStateException("reset"));
                metrics.disconnected(null, remote);
            });
            String scrape = registry.scrape();
            assertFalse(scrape.contains("vertx_http_server_bytes_written_total 200.0"), scrape);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** Six requests over three routes (and none), then {@code invented} under made-up methods; the scrape after. */
    private String scrapeAfterRequests(Function<PrometheusMeterRegistry, VertxMetricsFactory> factory, int invented)
            throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                        .addLabels(Label.HTTP_ROUTE)))
                .withMetrics(factory.apply(registry))
                .build();
        try {
            Router router = Router.router(vertx);
            router.route().handler(BodyHandler.create());
            router.post("/events").handler(ctx -> ctx.response()
                    .setStatusCode(ctx.body().length() > 2 ? 200 : 400).end("{\"accepted\":1}"));
            router.get("/campaigns/:id").handler(ctx -> ctx.response().end("campaign " + ctx.pathParam("id")));
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.actualPort();
            send(HttpRequest.newBuilder(URI.create(base + "/events")).POST(body("{\"id\":\"e1\"}")));
            send(HttpRequest.newBuilder(URI.create(base + "/events")).POST(body("{\"id\":\"e22\"}")));
            send(HttpRequest.newBuilder(URI.create(base + "/events")).POST(body("{}")));
            send(HttpRequest.newBuilder(URI.create(base + "/campaigns/c1")).GET());
            send(HttpRequest.newBuilder(URI.create(base + "/campaigns/c2")).GET());
            send(HttpRequest.newBuilder(URI.create(base + "/nowhere")).GET());
            for (int i = 0; i < invented; i++) {
                send(HttpRequest.newBuilder(URI.create(base + "/events")).method("FROB" + i, body("")));
            }
            // Closed first: a response's bytes are counted once written, which may come after the client has it,
            // and a connection once Vert.x has seen it close, which may come after the server says it closed.
            server.close().await(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!registry.scrape().contains("vertx_http_server_active_connections 0.0")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return registry.scrape();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private void send(HttpRequest.Builder request) throws Exception {
        client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static HttpRequest.BodyPublisher body(String text) {
        return HttpRequest.BodyPublishers.ofString(text);
    }

    /** The scrape's HTTP server series without the response times, sorted. */
    private static String withoutTimes(String scrape) {
        return scrape.lines()
                .filter(line -> line.contains("vertx_http_server_") && !line.contains("response_time_seconds_sum")
                        && !line.contains("response_time_seconds_max{"))
                .sorted().collect(Collectors.joining("\n"));
    }
}
