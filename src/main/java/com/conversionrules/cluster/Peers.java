package com.conversionrules.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/** The other instances of the cluster, over their HTTP APIs, with the admin key every instance shares. */
final class Peers {
    /** Set on a request one instance passes to another, so a request is passed on once at most. */
    static final String FORWARDED_BY = "x-conversion-rules-forwarded-by";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String adminKey;
    private final String self;

    Peers(String adminKey, String self) {
        this.adminKey = adminKey;
        this.self = self;
    }

    /** GET {@code pathAndQuery} on the instance at {@code host}. */
    CompletableFuture<HttpResponse<byte[]>> get(HostInfo host, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(TIMEOUT)
                .header("authorization", "Bearer " + adminKey)
                .header(FORWARDED_BY, self)
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
