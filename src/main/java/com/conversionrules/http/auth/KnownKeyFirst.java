package com.conversionrules.http.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Runs before any body is read: a request to the API or the metrics must carry one of this
 * service's keys in its {@code Authorization} header, or its body is never read (the 401 closes the
 * connection). Only the Segment routes may come without the header, because Segment clients put the
 * write key in the body; those bodies are small and bounded like every other. The 401 is the one the
 * route's own {@link RequireKey} gives, which also checks the kind of key once the request gets there.
 * A route without a path, so the request meters' route label names only the route that answers.
 */
public final class KnownKeyFirst implements Handler<RoutingContext> {
    private final Function<String, RequireKey> routeKeys;

    /** {@code routeKeys} gives, for a path, the key check of the route that serves it. */
    public KnownKeyFirst(Function<String, RequireKey> routeKeys) {
        this.routeKeys = routeKeys;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.startsWith("/v1/") || path.equals("/metrics")) {
            routeKeys.apply(path).requireKnownKey(ctx);
        }
        ctx.next();
    }
}
