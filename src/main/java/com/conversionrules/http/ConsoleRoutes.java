package com.conversionrules.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The web console: static HTML, CSS and JavaScript modules from the jar, served at {@code /} with
 * its files under {@code /assets/}. It uses only the public JSON API. Its routes take no method of
 * their own (they answer GET and HEAD and pass anything else on), so they are not part of the API
 * the OpenAPI document describes.
 */
final class ConsoleRoutes {
    /**
     * Scripts, styles and requests from this origin only; no inline script or style, no plugins, no
     * framing. The console loads nothing from any other host.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
            "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'");

    private final ConsoleFiles files;

    ConsoleRoutes(ConsoleFiles files) {
        this.files = files;
    }

    void mount(Router router) {
        router.route("/").handler(ctx -> serve(ctx, "/index.html"));
        router.route("/assets/*").handler(ctx -> serve(ctx, ctx.normalizedPath()));
    }

    /**
     * Revalidated on every load (no-cache with an ETag), so a new version of the service never runs
     * with the last one's scripts, and an unchanged file costs a 304.
     */
    private void serve(RoutingContext ctx, String path) {
        HttpMethod method = ctx.request().method();
        ConsoleFiles.File file = files.find(path);
        if (file == null || !(method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
            ctx.next();
            return;
        }
        HttpServerResponse response = secure(ctx.response())
                .putHeader(HttpHeaders.CONTENT_TYPE, file.contentType())
                .putHeader(HttpHeaders.ETAG, file.etag());
        if (file.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatusCode(304).end();
        } else if (method.equals(HttpMethod.HEAD)) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(file.content().length())).end();
        } else {
            response.end(file.content());
        }
    }

    private static HttpServerResponse secure(HttpServerResponse response) {
        return response.putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("x-frame-options", "DENY")
                .putHeader("referrer-policy", "no-referrer")
                .putHeader("cross-origin-opener-policy", "same-origin")
                .putHeader("cross-origin-resource-policy", "same-origin")
                .putHeader("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    }
}
