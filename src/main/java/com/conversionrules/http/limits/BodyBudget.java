package com.conversionrules.http.limits;

import com.conversionrules.model.Rejection;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory that request bodies take together ({@code HTTP_BODY_MEMORY}). Before a body is
 * read, its request reserves what the body may take (its Content-Length, or the largest body
 * accepted when it is sent in chunks); the reservation lasts until the answer is sent. A request
 * that does not fit is refused with 503 and Retry-After before a byte of its body is read, so a
 * flood of slow or large bodies costs the flooders, not the service.
 */
public final class BodyBudget implements Handler<RoutingContext> {
    private final long total;
    private final long maxBody;
    private final AtomicLong free;

    public BodyBudget(long total, long maxBody) {
        this.total = total;
        this.maxBody = maxBody;
        this.free = new AtomicLong(total);
    }

    @Override
    public void handle(RoutingContext ctx) {
        long need = expected(ctx);
        if (need > 0) {
            reserve(ctx, need);
        }
        ctx.next();
    }

    /** Reserves {@code bytes} for the request until its answer is sent; throws the 503 when they do not fit. */
    public void reserve(RoutingContext ctx, long bytes) {
        if (!tryReserve(bytes)) {
            throw Rejection.unavailable("the service is reading as many request bodies as it has memory for "
                    + "(HTTP_BODY_MEMORY); retry in a second");
        }
        ctx.addEndHandler(ended -> release(bytes));
    }

    /** Reserves {@code bytes} if they fit; whoever got them gives them back with {@link #release}. */
    public boolean tryReserve(long bytes) {
        long before;
        do {
            before = free.get();
            if (before < bytes) {
                return false;
            }
        } while (!free.compareAndSet(before, before - bytes));
        return true;
    }

    public void release(long bytes) {
        free.addAndGet(bytes);
    }

    /** Bytes reserved by requests now. */
    public long reserved() {
        return total - free.get();
    }

    /**
     * What the body may take: its declared length (a longer one is refused with 413 before it is
     * read), or the largest body accepted when no length is declared.
     */
    private long expected(RoutingContext ctx) {
        if (ctx.request().isEnded()) {
            return 0;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) == null ? 0 : maxBody;
        }
        long declared = declaredLength(length);
        return declared < 0 ? maxBody : declared > maxBody ? 0 : declared;
    }

    /** A Content-Length header's value; -1 when there is none or it is not a number. */
    public static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
