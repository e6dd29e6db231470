package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle every HTTP test's answers go through refuses what the document does not say. */
class ContractTest {
    private static final Contract DOCUMENT = Contract.DOCUMENT;
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";
    private static final String OUTCOME = "{\"accepted\":1,\"duplicates\":0,\"failed\":[],\"unrecognized\":[]}";

    private static void refused(List<String> problems, String fragment) {
        assertTrue(problems.stream().anyMatch(problem -> problem.contains(fragment)), fragment + " in " + problems);
    }

    @Test
    void aDocumentedAnswerPasses() {
        assertEquals(List.of(), DOCUMENT.problems("POST", "/v1/events", 200, JSON + "; charset=utf-8", OUTCOME));
        assertEquals(List.of(), DOCUMENT.problems("POST", "/v1/import/", 401, PROBLEM,
                "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"send a key\"}"));
        assertEquals(List.of(), DOCUMENT.problems("GET", "/metrics", 200, "text/plain; version=0.0.4", "# HELP x\n"));
    }

    @Test
    void anUndocumentedStatusFails() {
        refused(DOCUMENT.problems("GET", "/v1/campaigns", 418, PROBLEM, "{}"), "status 418 is not documented");
    }

    @Test
    void aMissingRequiredFieldOrAFieldTheDocumentDoesNotNameFails() {
        refused(DOCUMENT.problems("POST", "/v1/events", 200, JSON, "{\"accepted\":1,\"duplicates\":0}"), "unrecognized");
        refused(DOCUMENT.problems("POST", "/v1/events", 200, JSON,
                OUTCOME.replace("}", ",\"surprise\":true}")), "surprise");
        refused(DOCUMENT.problems("POST", "/v1/events", 200, JSON, OUTCOME.replace("1", "\"one\"")), "accepted");
    }

    @Test
    void aContentTypeTheDocumentDoesNotGiveFails() {
        refused(DOCUMENT.problems("POST", "/v1/events", 200, "text/html", OUTCOME), "content type 'text/html'");
        refused(DOCUMENT.problems("POST", "/v1/events", 400, JSON, "{}"), "is not documented");
    }

    @Test
    void anAnswerAtAPathWithoutAnOperationMustBeAProblem() {
        refused(DOCUMENT.problems("GET", "/v1/nowhere", 200, JSON, "{}"), "no operation is documented");
        refused(DOCUMENT.problems("GET", "/v1/nowhere", 404, PROBLEM, "{\"status\":404}"), "required property");
        assertEquals(List.of(), DOCUMENT.problems("PUT", "/v1/events", 405, PROBLEM,
                "{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\",\"status\":405,\"detail\":\"use POST\"}"));
    }

    @Test
    void theConsolesFilesAreOutsideTheDocumentButTheirErrorsAreProblems() {
        assertEquals(List.of(), DOCUMENT.problems("GET", "/", 200, "text/html; charset=utf-8", "<!doctype html>"));
        assertEquals(List.of(), DOCUMENT.problems("GET", "/assets/app.js", 304, "", ""));
        refused(DOCUMENT.problems("GET", "/assets/missing.js", 404, "text/html", "<html>"), "content type");
    }

    @Test
    void anExitOnTheFeedIsCheckedThroughItsReferences() {
        String exit = "{\"id\":\"x\",\"campaignId\":\"c\",\"userId\":\"u\",\"reason\":\"removed\",\"conversionEvent\":null,"
                + "\"eventId\":null,\"exitedAt\":\"2026-01-01T00:00:00Z\",\"value\":null,\"holdout\":false,\"deliveries\":{}}";
        assertEquals(List.of(), DOCUMENT.problems("GET", "/v1/exits", 200, JSON, "{\"exits\":[" + exit + "],\"next\":\"1\"}"));
        refused(DOCUMENT.problems("GET", "/v1/exits", 200, JSON, "{\"exits\":[" + exit.replace(",\"value\":null", "")
                + "],\"next\":\"1\"}"), "value");
        refused(DOCUMENT.problems("GET", "/v1/exits", 200, JSON, "{\"exits\":[" + exit.replace("}}", "},\"extra\":1}")
                + "],\"next\":\"1\"}"), "extra");
    }
}
