package com.conversionrules.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json}: the OpenAPI 3.1 document of this API, open like the health routes. */
final class OpenApiRoutes {
    static final String RESOURCE = "/openapi.json";

    private final Buffer document;

    private OpenApiRoutes(Buffer document) {
        this.document = document;
    }

    /** Reads the document shipped in the jar; called once at start, off the event loop. */
    static OpenApiRoutes fromClasspath() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new OpenApiRoutes(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE + " failed", e);
        }
    }

    void mount(Router router) {
        router.get("/openapi.json").handler(ctx -> ctx.response()
                .putHeader("content-type", Json.CONTENT_TYPE)
                .end(document));
    }
}
