package com.conversionrules.http.auth;

import com.conversionrules.model.Rejection;
import com.conversionrules.security.ApiKeys;
import com.conversionrules.security.KeyKind;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Lets a request through only with a key of the route's kind: {@code Authorization: Bearer <key>},
 * or, on the write routes, also Basic auth with the key as user and an empty password (Segment's
 * convention, so the same header works on every write route). No key or an unknown key is 401, a
 * key of another kind is 403; each message says what is wrong with the header.
 */
public final class RequireKey implements Handler<RoutingContext> {
    private static final String REALM = "realm=\"conversion-rules\"";
    /** The kind of the header's key, once {@link #requireKnownKey} has found it: the route need not digest it again. */
    private static final String HEADER_KEY_KIND = RequireKey.class.getName() + ".headerKeyKind";

    private final ApiKeys keys;
    private final KeyKind required;
    private final boolean keyInBody;

    private RequireKey(ApiKeys keys, KeyKind required, boolean keyInBody) {
        this.keys = keys;
        this.required = required;
        this.keyInBody = keyInBody;
    }

    public static RequireKey admin(ApiKeys keys) {
        return new RequireKey(keys, KeyKind.ADMIN, false);
    }

    public static RequireKey write(ApiKeys keys) {
        return new RequireKey(keys, KeyKind.WRITE, false);
    }

    /** Segment routes: a write key in the header, or as {@code writeKey} in the body (checked by the route). */
    public static RequireKey segment(ApiKeys keys) {
        return new RequireKey(keys, KeyKind.WRITE, true);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Credentials presented = Credentials.fromHeader(ctx.request().getHeader("authorization"));
        if (presented instanceof Credentials.Absent && keyInBody) {
            // The Segment clients put the write key in the body; the route checks it once parsed.
            ctx.next();
            return;
        }
        KeyKind known = ctx.get(HEADER_KEY_KIND);
        if (known != null && presented instanceof Credentials.Key key) {
            refuseBasicOffWriteRoutes(ctx, key);
            requireKind(known);
        } else {
            check(ctx, presented);
        }
        ctx.next();
    }

    /**
     * Before the body is read: throws the 401 this route gives for no key, a header it cannot read a
     * key from, or a key that is none of this service's. Lets a Segment request without a header on,
     * as its key may be in the body. The kind of key is checked later, by {@link #handle}.
     */
    public void requireKnownKey(RoutingContext ctx) {
        Credentials presented = Credentials.fromHeader(ctx.request().getHeader("authorization"));
        if (presented instanceof Credentials.Absent && keyInBody) {
            return;
        }
        if (presented instanceof Credentials.Key key) {
            Optional<KeyKind> kind = keys.kindOf(key.key());
            if (kind.isPresent()) {
                ctx.put(HEADER_KEY_KIND, kind.get());
                return;
            }
        }
        check(ctx, presented);
    }

    /**
     * Whether an {@code Authorization} header alone lets a request onto this route: a key of the
     * route's kind, Basic only on a write route. False for anything {@link #handle} would refuse.
     */
    public boolean admits(String authorization) {
        return Credentials.fromHeader(authorization) instanceof Credentials.Key key
                && (!key.basic() || required == KeyKind.WRITE)
                && keys.kindOf(key.key()).orElse(null) == required;
    }

    /** Checks a key found after routing (a Segment body's {@code writeKey}; null when none); throws the 401 or 403. */
    public void check(RoutingContext ctx, String presented) {
        check(ctx, presented == null ? new Credentials.Absent() : new Credentials.Key(presented, false));
    }

    private void check(RoutingContext ctx, Credentials presented) {
        if (presented instanceof Credentials.Absent) {
            challenge(ctx);
            throw Rejection.unauthenticated("this route needs " + article(required) + " key: send " + howToSend());
        }
        if (presented instanceof Credentials.Unreadable unreadable) {
            challenge(ctx);
            throw Rejection.unauthenticated(unreadable.problem() + " (this route takes " + howToSend() + ")");
        }
        Credentials.Key key = (Credentials.Key) presented;
        refuseBasicOffWriteRoutes(ctx, key);
        Optional<KeyKind> kind = keys.kindOf(key.key());
        if (kind.isEmpty()) {
            challenge(ctx);
            throw Rejection.unauthenticated("the key sent is not one of this service's keys (they are in "
                    + "DATA_DIR/keys.json, or set with WRITE_KEYS and ADMIN_KEYS)");
        }
        requireKind(kind.get());
    }

    private void refuseBasicOffWriteRoutes(RoutingContext ctx, Credentials.Key key) {
        if (key.basic() && required != KeyKind.WRITE) {
            challenge(ctx);
            throw Rejection.unauthenticated("Basic auth is for the write key on the ingestion routes; this route "
                    + "needs an admin key: send Authorization: Bearer <key>");
        }
    }

    private void requireKind(KeyKind kind) {
        if (kind != required) {
            throw Rejection.forbidden("this route needs " + article(required) + " key; the key sent is "
                    + article(kind) + " key");
        }
    }

    /** Whether the request carried something in its Authorization header, so the route need not look in the body. */
    public boolean checkedHeader(RoutingContext ctx) {
        return !(Credentials.fromHeader(ctx.request().getHeader("authorization")) instanceof Credentials.Absent);
    }

    private String howToSend() {
        if (required != KeyKind.WRITE) {
            return "Authorization: Bearer <key>";
        }
        return "Authorization: Bearer <key>, or Basic auth with the key as user and an empty password"
                + (keyInBody ? ", or writeKey in the body" : "");
    }

    private static String article(KeyKind kind) {
        return (kind == KeyKind.ADMIN ? "an " : "a ") + kind.wire();
    }

    private void challenge(RoutingContext ctx) {
        ctx.response().putHeader("www-authenticate",
                required == KeyKind.WRITE ? "Bearer " + REALM + ", Basic " + REALM : "Bearer " + REALM);
    }
}
