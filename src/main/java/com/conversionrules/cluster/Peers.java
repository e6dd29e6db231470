package com.conversionrules.cluster;

import com.conversionrules.model.Rejection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
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
    private final HostInfo self;

    Peers(String adminKey, HostInfo self) {
        this.adminKey = adminKey;
        this.self = self;
    }

    /** GET {@code pathAndQuery} on the instance at {@code host}. */
    CompletableFuture<HttpResponse<byte[]>> get(HostInfo host, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(TIMEOUT)
                .header("authorization", "Bearer " + adminKey)
                .header(FORWARDED_BY, self.host() + ":" + self.port())
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Each instance's share of a cluster-wide figure: this one's from {@code own}, every other's
     * from its answer to GET {@code pathAndQuery}, read by {@code parse}. One that does not answer
     * 200 fails the whole with a 503 to retry, naming it and {@code what} was asked: a sum without
     * it would undercount.
     */
    <T> CompletableFuture<List<T>> shares(Collection<HostInfo> instances, Supplier<CompletableFuture<T>> own,
                                          String pathAndQuery, Function<byte[], T> parse, String what) {
        List<CompletableFuture<T>> shares = new ArrayList<>();
        for (HostInfo instance : instances) {
            shares.add(instance.equals(self) ? own.get() : get(instance, pathAndQuery).handle((answer, failure) -> {
                String name = instance.host() + ":" + instance.port();
                if (failure != null) {
                    throw Rejection.unavailable("the instance " + name + " did not answer for " + what + " ("
                            + failure.getMessage() + "); retry in a moment");
                }
                if (answer.statusCode() != 200) {
                    throw Rejection.unavailable("the instance " + name + " answered " + answer.statusCode() + " for "
                            + what + "; retry in a moment");
                }
                return parse.apply(answer.body());
            }));
        }
        return CompletableFuture.allOf(shares.toArray(CompletableFuture[]::new))
                .thenApply(all -> shares.stream().map(CompletableFuture::join).toList());
    }
}
