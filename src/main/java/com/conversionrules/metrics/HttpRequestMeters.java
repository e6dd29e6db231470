package com.conversionrules.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MetricsNaming;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One HTTP server's request meters, named and labelled as Vert.x Micrometer names them (requests,
 * response time and bytes by route, method and code; active requests, request bytes and resets by
 * method), with each meter looked up once and kept. Connections and bytes on the wire are left to
 * Vert.x's own meters.
 *
 * <p>A method outside HTTP's standard set is counted as {@code OTHER}: Vert.x takes any token as a
 * method, and a series per invented method would let any client grow the scrape without bound.
 */
final class HttpRequestMeters implements HttpServerMetrics<HttpRequestMeters.Request, Object, Object> {
    private static final Set<HttpMethod> STANDARD = Set.copyOf(HttpMethod.values());

    private final HttpServerMetrics<Object, Object, Object> vertx;
    private final Shared meters;

    @SuppressWarnings("unchecked")
    HttpRequestMeters(HttpServerMetrics<?, ?, ?> vertx, Shared meters) {
        this.vertx = (HttpServerMetrics<Object, Object, Object>) vertx;
        this.meters = meters;
    }

    @Override
    public Object connected(SocketAddress remote, String remoteName) {
        return vertx.connected(remote, remoteName);
    }

    // A connection accepted while its server is starting may never have been reported as connected
    // (Vert.x 5.0.7 sets a server's metrics after its socket is bound): its socket metric is null, and
    // Vert.x Micrometer's would throw on it in the middle of sending a response, which then never
    // completed (a hung health check at start-up). Such a connection is left out of the socket meters.

    @Override
    public void disconnected(Object socket, SocketAddress remote) {
        if (socket != null) {
            vertx.disconnected(socket, remote);
        }
    }

    @Override
    public void bytesRead(Object socket, SocketAddress remote, long bytes) {
        if (socket != null) {
            vertx.bytesRead(socket, remote, bytes);
        }
    }

    @Override
    public void bytesWritten(Object socket, SocketAddress remote, long bytes) {
        if (socket != null) {
            vertx.bytesWritten(socket, remote, bytes);
        }
    }

    @Override
    public void exceptionOccurred(Object socket, SocketAddress remote, Throwable failure) {
        if (socket != null) {
            vertx.exceptionOccurred(socket, remote, failure);
        }
    }

    @Override
    public Request requestBegin(Object socket, HttpRequest request) {
        MethodMeters method = meters.method(request.method());
        method.active.increment();
        return new Request(method, System.nanoTime());
    }

    @Override
    public void requestRouted(Request request, String route) {
        request.routed(route);
    }

    @Override
    public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
        request.method.requestBytes.record(bytesRead);
        if (request.requestEnded()) {
            request.method.active.decrement();
        }
    }

    @Override
    public void requestReset(Request request) {
        meters.resets(request.method.name).increment();
        request.method.active.decrement();
        request.reset = true;
    }

    @Override
    public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
        meters.response(request.route(), request.method, response.statusCode())
                .record(System.nanoTime() - request.startNanos, bytesWritten);
        if (request.responseEnded()) {
            request.method.active.decrement();
        }
    }

    @Override
    public void close() {
        vertx.close();
    }

    /** One request on its way: when it began, the routes it took, which halves have ended. */
    static final class Request {
        private final MethodMeters method;
        private final long startNanos;
        private String route = "";
        private boolean requestEnded;
        private boolean responseEnded;
        private boolean reset;

        private Request(MethodMeters method, long startNanos) {
            this.method = method;
            this.startNanos = startNanos;
        }

        /** Routes through sub-routers are joined with {@code >}, as Vert.x joins them. */
        private void routed(String name) {
            if (name != null) {
                route = route.isEmpty() ? name : route + '>' + name;
            }
        }

        private String route() {
            return route;
        }

        /** True when the response had ended already: the request is no longer active. */
        private boolean requestEnded() {
            requestEnded = true;
            return !reset && responseEnded;
        }

        private boolean responseEnded() {
            responseEnded = true;
            return !reset && requestEnded;
        }
    }

    /** The meters of every HTTP server of one Vert.x instance, registered on first use and kept. */
    static final class Shared {
        private final MeterRegistry registry;
        private final MetricsNaming names;
        private final Map<String, MethodMeters> methods = new ConcurrentHashMap<>();
        private final Map<ResponseKey, ResponseMeters> responses = new ConcurrentHashMap<>();

        Shared(MeterRegistry registry, MetricsNaming names) {
            this.registry = registry;
            this.names = names;
        }

        private MethodMeters method(HttpMethod method) {
            String name = STANDARD.contains(method) ? method.name() : "OTHER";
            MethodMeters meters = methods.get(name);
            return meters != null ? meters : methods.computeIfAbsent(name, this::newMethod);
        }

        private ResponseMeters response(String route, MethodMeters method, int code) {
            ResponseKey key = new ResponseKey(route, method.name, code);
            ResponseMeters meters = responses.get(key);
            return meters != null ? meters : responses.computeIfAbsent(key, this::newResponse);
        }

        private MethodMeters newMethod(String method) {
            LongAdder active = new LongAdder();
            Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
                    .description("Number of requests being processed").tag("method", method).register(registry);
            return new MethodMeters(method, active,
                    DistributionSummary.builder(names.getHttpRequestBytes()).description("Size of requests in bytes")
                            .tag("method", method).register(registry));
        }

        /** Looked up when needed: resets are rare, and a series appears with the first, as Vert.x's does. */
        private Counter resets(String method) {
            return Counter.builder(names.getHttpRequestResetsCount()).description("Number of request resets")
                    .tag("method", method).register(registry);
        }

        private ResponseMeters newResponse(ResponseKey key) {
            String[] tags = {"route", key.route(), "method", key.method(), "code", Integer.toString(key.code())};
            return new ResponseMeters(
                    Counter.builder(names.getHttpRequestsCount()).description("Number of processed requests")
                            .tags(tags).register(registry),
                    Timer.builder(names.getHttpResponseTime()).description("Request processing time")
                            .tags(tags).register(registry),
                    DistributionSummary.builder(names.getHttpResponseBytes()).description("Size of responses in bytes")
                            .tags(tags).register(registry));
        }
    }

    /** The gauge's adder is held here: Micrometer keeps only a weak reference to it. */
    private record MethodMeters(String name, LongAdder active, DistributionSummary requestBytes) {
    }

    private record ResponseKey(String route, String method, int code) {
    }

    private record ResponseMeters(Counter requests, Timer time, DistributionSummary bytes) {
        void record(long nanos, long bytesWritten) {
            requests.increment();
            time.record(nanos, TimeUnit.NANOSECONDS);
            bytes.record(bytesWritten);
        }
    }
}
