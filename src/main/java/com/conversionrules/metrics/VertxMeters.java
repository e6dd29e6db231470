package com.conversionrules.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * Vert.x's Micrometer meters, with the HTTP server's request meters taken by {@link HttpRequestMeters}:
 * the same names and labels (route, method, code), recorded without the tag merging and registry
 * lookups Vert.x Micrometer does on every request (a tenth of the event loop's CPU on a single-event
 * request, BENCHMARKS.md §2). Connections, bytes and everything else stay Vert.x's.
 */
public final class VertxMeters implements VertxMetricsFactory {
    /** Vert.x Micrometer's prefix for its HTTP server meters. */
    private static final String HTTP_SERVER = "vertx.http.server.";
    private final MicrometerMetricsFactory micrometer;
    private final MeterRegistry registry;

    public VertxMeters(MeterRegistry registry) {
        this.micrometer = new MicrometerMetricsFactory(registry);
        this.registry = registry;
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        MetricsNaming names = options.getMetricsOptions() instanceof MicrometerMetricsOptions micrometerOptions
                ? micrometerOptions.getMetricsNaming() : new MicrometerMetricsOptions().getMetricsNaming();
        return new WithRequestMeters(micrometer.metrics(options),
                new HttpRequestMeters.Shared(registry, names.withBaseName(HTTP_SERVER)));
    }

    @Override
    public MetricsOptions newOptions() {
        return micrometer.newOptions();
    }

    @Override
    public MetricsOptions newOptions(MetricsOptions options) {
        return micrometer.newOptions(options);
    }

    @Override
    public MetricsOptions newOptions(JsonObject json) {
        return micrometer.newOptions(json);
    }

    /** Vert.x Micrometer's metrics, but for the HTTP servers' request meters. */
    private record WithRequestMeters(VertxMetrics vertx, HttpRequestMeters.Shared requests) implements VertxMetrics {
        @Override
        public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress local) {
            return new HttpRequestMeters(vertx.createHttpServerMetrics(options, local), requests);
        }

        @Override
        public EventBusMetrics<?> createEventBusMetrics() {
            return vertx.createEventBusMetrics();
        }

        @Override
        public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remote, String type, String namespace) {
            return vertx.createClientMetrics(remote, type, namespace);
        }

        @Override
        public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
            return vertx.createHttpClientMetrics(options);
        }

        @Override
        public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress local) {
            return vertx.createNetServerMetrics(options, local);
        }

        @Override
        public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
            return vertx.createNetClientMetrics(options);
        }

        @Override
        public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
            return vertx.createDatagramSocketMetrics(options);
        }

        @Override
        public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
            return vertx.createPoolMetrics(type, name, maxSize);
        }

        @Override
        public void vertxCreated(Vertx created) {
            vertx.vertxCreated(created);
        }

        @Override
        public boolean isMetricsEnabled() {
            return vertx.isMetricsEnabled();
        }

        @Override
        public void close() {
            vertx.close();
        }
    }
}
