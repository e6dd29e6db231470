package com.conversionrules.http.auth;

import com.conversionrules.model.Rejection;
import com.conversionrules.security.ApiKeys;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Runs before any body is read: a request must carry one of this service's keys in its
 * {@code Authorization} header, or its body is never read (the 401 closes the connection). Only the
 * Segment routes may come without the header, because Segment clients put the write key in the
 * body; those bodies are small and bounded like every other. Which kind of key a route needs is
 * checked by the route's own {@link RequireKey}.
 */
public final class KnownKeyFirst implements Handler<RoutingContext> {
    private final ApiKeys keys;
    private final Set<String> keyInBodyPaths;

    public KnownKeyFirst(ApiKeys keys, Set<String> keyInBodyPaths) {
        this.keys = keys;
        this.keyInBodyPaths = keyInBodyPaths;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header == null || header.isBlank()) {
            if (keyInBodyPaths.contains(ctx.normalizedPath())) {
                ctx.next();
                return;
            }
            challenge(ctx);
            throw Rejection.unauthenticated("this route needs a key: send Authorization: Bearer <key>");
        }
        String presented = Credentials.fromHeader(header, true).orElse("");
        if (keys.kindOf(presented).isEmpty()) {
            challenge(ctx);
            throw Rejection.unauthenticated("the key is not one of this service's keys");
        }
        ctx.next();
    }

    private static void challenge(RoutingContext ctx) {
        ctx.response().putHeader("www-authenticate", "Bearer realm=\"conversion-rules\"");
    }
}
