package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.config.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus scrapes METRICS_PORT without a key; the API's requests are counted per route. */
class MetricsPortTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dataDir;

    private HttpResponse<String> onMetricsPort(TestService service, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.metricsPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String scrape, String sample) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.E+-]+)$").matcher(scrape);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void theMetricsPortServesMetricsWithoutAKeyAndNothingElse() throws Exception {
        try (TestService service = TestService.start(dataDir, Map.of(Config.METRICS_PORT, "0"))) {
            assertTrue(service.metricsPort() > 0 && service.metricsPort() != service.uri("/").getPort());
            HttpResponse<String> scrape = onMetricsPort(service, "GET", "/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
            assertTrue(scrape.body().contains("conversion_events_received_total"), "the service's meters");

            HttpResponse<String> api = onMetricsPort(service, "GET", "/v1/campaigns");
            assertEquals(404, api.statusCode(), "no API route on the metrics port");
            assertTrue(api.body().contains("serves only GET /metrics"), api.body());
            HttpResponse<String> post = onMetricsPort(service, "POST", "/metrics");
            assertEquals(405, post.statusCode());
            assertEquals("GET", post.headers().firstValue("allow").orElse(""));

            problem(401, service.raw("GET", "/metrics", null, Map.of()));
            expect(200, service.get("/metrics"));
        }
    }

    @Test
    void withoutMetricsPortThereIsNoSecondPort() throws Exception {
        try (TestService service = TestService.start(dataDir)) {
            assertEquals(-1, service.metricsPort());
        }
    }

    @Test
    void requestsAreCountedPerRouteWithIngestionApart() throws Exception {
        try (TestService service = TestService.start(dataDir, Map.of(Config.METRICS_PORT, "0"))) {
            expect(200, service.post("/v1/events", "{\"id\":\"mp-1\",\"userId\":\"mp-u\",\"name\":\"Placed Order\"}"));
            expect(200, service.post("/v1/events", "{\"id\":\"mp-2\",\"userId\":\"mp-u\",\"name\":\"Placed Order\"}"));
            expect(400, service.post("/v1/events", "{}"));
            expect(200, service.get("/v1/campaigns"));
            service.liveCampaign("mp-c", "multi_touch", "placed_order");
            expect(200, service.get("/v1/campaigns/mp-c"));
            String scrape = onMetricsPort(service, "GET", "/metrics").body();
            assertEquals(2, value(scrape, "vertx_http_server_requests_total{code=\"200\",method=\"POST\","
                    + "route=\"/v1/events\"}"), scrape);
            assertEquals(1, value(scrape, "vertx_http_server_requests_total{code=\"400\",method=\"POST\","
                    + "route=\"/v1/events\"}"), scrape);
            assertEquals(1, value(scrape, "vertx_http_server_requests_total{code=\"200\",method=\"GET\","
                    + "route=\"/v1/campaigns\"}"), scrape);
            assertEquals(1, value(scrape, "vertx_http_server_requests_total{code=\"200\",method=\"GET\","
                    + "route=\"/v1/campaigns/:id\"}"), "a route with a parameter is one series: " + scrape);
        }
    }
}
