package com.conversionrules.http.auth;

import com.conversionrules.model.Rejection;
import com.conversionrules.security.ApiKeys;
import com.conversionrules.security.KeyKind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Lets a request through only with a key of the route's kind: {@code Authorization: Bearer <key>},
 * or, on the Segment-compatible routes, Basic auth with the key as user and an empty password
 * (Segment's own convention). No key or an unknown key is 401, a key of the other kind is 403.
 */
public final class RequireKey implements Handler<RoutingContext> {
    private static final String REALM = "realm=\"conversion-rules\"";

    private final ApiKeys keys;
    private final KeyKind required;
    private final boolean basicAllowed;

    private RequireKey(ApiKeys keys, KeyKind required, boolean basicAllowed) {
        this.keys = keys;
        this.required = required;
        this.basicAllowed = basicAllowed;
    }

    public static RequireKey admin(ApiKeys keys) {
        return new RequireKey(keys, KeyKind.ADMIN, false);
    }

    public static RequireKey write(ApiKeys keys) {
        return new RequireKey(keys, KeyKind.WRITE, false);
    }

    /** Segment routes: Bearer or Basic in the header; a {@code writeKey} in the body is checked by the route. */
    public static RequireKey segment(ApiKeys keys) {
        return new RequireKey(keys, KeyKind.WRITE, true);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<String> presented = Credentials.fromHeader(ctx.request().getHeader("authorization"), basicAllowed);
        if (presented.isEmpty() && basicAllowed) {
            // The Segment clients put the write key in the body; the route checks it once parsed.
            ctx.next();
            return;
        }
        check(ctx, presented.orElse(null));
        ctx.next();
    }

    /** Checks a key found after routing (a Segment body's {@code writeKey}); throws the 401 or 403. */
    public void check(RoutingContext ctx, String presented) {
        if (presented == null) {
            challenge(ctx);
            throw Rejection.unauthenticated("this route needs a " + required.wire() + " key: send "
                    + "Authorization: Bearer <key>" + (basicAllowed ? ", Basic auth with the key as user, or writeKey in the body" : ""));
        }
        Optional<KeyKind> kind = keys.kindOf(presented);
        if (kind.isEmpty()) {
            challenge(ctx);
            throw Rejection.unauthenticated("the key is not one of this service's keys");
        }
        if (kind.get() != required) {
            throw Rejection.forbidden("this route needs a " + required.wire() + " key; the key sent is a "
                    + kind.get().wire() + " key");
        }
    }

    /** Whether the request carried its key in a header, so the route need not look in the body. */
    public boolean checkedHeader(RoutingContext ctx) {
        return Credentials.fromHeader(ctx.request().getHeader("authorization"), basicAllowed).isPresent();
    }

    private void challenge(RoutingContext ctx) {
        ctx.response().putHeader("www-authenticate",
                basicAllowed ? "Bearer " + REALM + ", Basic " + REALM : "Bearer " + REALM);
    }
}
