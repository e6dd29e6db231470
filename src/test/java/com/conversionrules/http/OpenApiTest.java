package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the router describe the same API. */
class OpenApiTest extends SharedServiceTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private static JsonNode document() {
        Reply reply = service.raw("GET", "/openapi.json", null, Map.of());
        expect(200, reply);
        return reply.body();
    }

    private static Set<String> documented(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    @Test
    void theDocumentIsOpenApi31AndServedWithoutAKey() {
        JsonNode document = document();
        assertEquals("3.1.0", document.path("openapi").asText());
        assertTrue(document.path("webhooks").has("campaignExited"), "the exit webhook is documented");
    }

    @Test
    void everyRouteOnTheRouterIsDocumentedAndNothingElse() {
        Set<String> routed = new TreeSet<>(service.routes());
        assertTrue(routed.size() > 20, routed.toString());
        assertEquals(routed, documented(document()));
    }

    @Test
    void everyDocumentedRouteAnswers() {
        List<String> missing = new ArrayList<>();
        for (String operation : documented(document())) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[A-Za-z]+}", "oa-probe");
            Reply reply = service.raw(method, path, method.equals("GET") || method.equals("DELETE") ? null : new byte[0],
                    Map.of("authorization", "Bearer " + TestService.keyFor(path)));
            if (reply.status() == 404 && !reply.detail().startsWith("no campaign")
                    && !reply.detail().contains("never enrolled") && !reply.detail().contains("not active")) {
                missing.add(operation + " -> " + reply.body());
            }
            assertNotEquals(405, reply.status(), operation);
            assertTrue(reply.status() < 500, operation + " answered " + reply.status());
        }
        assertEquals(List.of(), missing);
    }
}
