package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.http.TestService.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the router describe the same API. */
class OpenApiTest extends SharedServiceTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private static JsonNode document() {
        Reply reply = service.raw("GET", "/openapi.json", null, Map.of());
        expect(200, reply);
        return reply.body();
    }

    /** Routes only an instance of a cluster serves (ClusterJourneyTest calls them); this test's service runs embedded. */
    private static final String CLUSTER_ONLY = "/v1/cluster/";

    private static Set<String> documented(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method) && !path.getKey().startsWith(CLUSTER_ONLY)) {
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

    /**
     * Checked against the OpenAPI 3.1 schema, and every $ref points at something. (Vert.x's contract router would
     * refuse the document only because it cannot route application/problem+json responses.)
     */
    @Test
    void theDocumentIsValidOpenApi31AndEveryReferenceResolves() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject contract = new JsonObject(document().toString());
            SchemaRepository repository = await(OpenAPIVersion.V3_1.getRepository(vertx, "app:///"));
            OutputUnit result = await(OpenAPIVersion.V3_1.validateContract(vertx, repository, contract));
            assertTrue(result.getValid(), "schema errors: " + result.getErrors());
            List<String> broken = new ArrayList<>();
            JsonNode document = document();
            refs(document, broken, document);
            assertEquals(List.of(), broken, "$refs that point nowhere");
        } finally {
            await(vertx.close());
        }
    }

    /** Collects the local $refs under a node that do not point at anything in the document. */
    private static void refs(JsonNode node, List<String> broken, JsonNode document) {
        JsonNode ref = node.get("$ref");
        if (ref != null && (!ref.asText().startsWith("#/") || document.at(ref.asText().substring(1)).isMissingNode())) {
            broken.add(ref.asText());
        }
        node.forEach(child -> refs(child, broken, document));
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Generators name methods after operationId and group them by tag; a relative server works wherever the service runs. */
    @Test
    void everyOperationHasAUniqueIdAndADeclaredTagAndTheServerIsRelative() {
        JsonNode document = document();
        Set<String> declaredTags = new TreeSet<>();
        document.path("tags").forEach(tag -> declaredTags.add(tag.path("name").asText()));
        Set<String> ids = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            if (!METHODS.contains(operation.getKey())) {
                return;
            }
            String name = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            String id = operation.getValue().path("operationId").asText();
            if (id.isEmpty() || !ids.add(id)) {
                missing.add(name + ": operationId '" + id + "' missing or not unique");
            }
            JsonNode tags = operation.getValue().path("tags");
            if (tags.isEmpty()) {
                missing.add(name + ": no tag");
            }
            tags.forEach(tag -> {
                if (!declaredTags.contains(tag.asText())) {
                    missing.add(name + ": tag '" + tag.asText() + "' is not declared");
                }
            });
        }));
        assertEquals(List.of(), missing);
        assertEquals("/", document.path("servers").get(0).path("url").asText());
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
