package com.conversionrules.http;

import com.conversionrules.model.Rejection;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A route's own body limit, below the service-wide {@code MAX_BODY_BYTES}: routes that take one
 * small object have no reason to accept a megabyte.
 */
final class BodyLimit implements Handler<RoutingContext> {
    /** Campaign bodies: an id, a name and two short words. */
    static final int CAMPAIGN_BYTES = 16 * 1024;

    private final int maxBytes;

    BodyLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        int size = ctx.body().length();
        if (size > maxBytes) {
            throw Rejection.tooLarge("the body is " + size + " bytes; this route takes at most " + maxBytes);
        }
        ctx.next();
    }
}
