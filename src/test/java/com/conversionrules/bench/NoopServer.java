package com.conversionrules.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The HTTP ingestion benchmark's baseline: a Vert.x server whose POST handler reads the whole body
 * and answers 200 with a small JSON body, doing nothing else. Same event-loop count and transport
 * (native epoll where it loads) as the service.
 *
 * <pre>java -cp ... com.conversionrules.bench.NoopServer PORT</pre>
 */
public final class NoopServer {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> request.response()
                        .putHeader("content-type", "application/json")
                        .end("{\"accepted\":" + (body.length() > 0 ? 1 : 0) + ",\"duplicates\":0}")))
                .listen(port, "127.0.0.1")
                .onSuccess(server -> System.out.println("no-op server listening on " + server.actualPort()));
    }

    private NoopServer() {
    }
}
