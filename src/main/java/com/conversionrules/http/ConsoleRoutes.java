package com.conversionrules.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: static HTML, CSS and JavaScript modules from the jar ({@code console/} on the
 * class path), served at {@code /} with its files under {@code /assets/}. It uses only the public
 * JSON API. Its routes take no method of their own (the static handler answers GET and HEAD), so
 * they are not part of the API the OpenAPI document describes.
 */
final class ConsoleRoutes {
    /**
     * Scripts, styles and requests from this origin only; no inline script or style, no plugins, no
     * framing. The console loads nothing from any other host.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
            "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'");

    void mount(Router router) {
        router.route("/").handler(ConsoleRoutes::secure).handler(files("console"));
        router.route("/assets/*").handler(ConsoleRoutes::secure).handler(files("console/assets"));
    }

    /** Revalidated on every load, so a new version of the service never runs with the last one's scripts. */
    private static StaticHandler files(String root) {
        return StaticHandler.create(root).setCachingEnabled(false).setDirectoryListing(false)
                .setDefaultContentEncoding("UTF-8");
    }

    private static void secure(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("x-frame-options", "DENY")
                .putHeader("referrer-policy", "no-referrer")
                .putHeader("cross-origin-opener-policy", "same-origin")
                .putHeader("cross-origin-resource-policy", "same-origin")
                .putHeader("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        ctx.next();
    }
}
