package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static com.conversionrules.http.TestService.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.conversionrules.cli.CheckRulesCommand;
import com.conversionrules.logging.LogCapture;
import com.conversionrules.reload.LiveRules;
import com.conversionrules.rules.ShippedRules;
import com.conversionrules.rules.cases.PolicyFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading the rules of a running service: what loads, what is refused, and what is kept. */
class ReloadTest {
    static final String ENROLLED = "2026-11-01T10:00:00Z";
    static final String AFTER = "2026-11-02T10:00:00Z";
    static final String WISHLIST = """
            // Added to wishlist: the user saved a product for later.
            package policies;

            import com.conversionrules.model.Campaign;
            import com.conversionrules.model.Conversion;
            import com.conversionrules.model.Enrollment;
            import com.conversionrules.model.UserEvent;

            rule "Saving a product converts the user out of every live campaign waiting for a wishlist"
                @conversionEvent("added_to_wishlist")
                @label("Added to wishlist")
            when
                $save : UserEvent( name == "Added to Wishlist" )
                $enrollment : Enrollment( conversionEvent == "added_to_wishlist", userId == $save.userId, enrolledAt <= $save.time )
                Campaign( live, id == $enrollment.campaignId )
            then
                delete( $enrollment );
                channels["sender"].send( new Conversion( $enrollment, $save ) );
            end
            """;
    /** The cases the service's gate (check-rules) asks beside a policy: one that converts, one that must not. */
    static final String WISHLIST_CASES = """
            cases:
              - name: saving a product after enrollment converts the user
                given:
                  campaigns:
                    - id: wish
                      conversionEvent: added_to_wishlist
                  enrollments:
                    - user: ann
                      campaign: wish
                      at: 2026-11-01T10:00:00Z
                when:
                  - user: ann
                    name: Added to Wishlist
                    time: 2026-11-02T10:00:00Z
                expect:
                  exits:
                    - user: ann
                      campaign: wish
                      conversionEvent: added_to_wishlist
              - name: a product view is not a wishlist
                given:
                  campaigns:
                    - id: wish
                      conversionEvent: added_to_wishlist
                  enrollments:
                    - user: ann
                      campaign: wish
                      at: 2026-11-01T10:00:00Z
                when:
                  - user: ann
                    name: Viewed Product
                    time: 2026-11-02T10:00:00Z
                expect:
                  exits: []
                  active:
                    - user: ann
                      campaign: wish
            """;

    @TempDir
    Path dir;
    Path rules;
    TestService service;

    @BeforeEach
    void start() throws Exception {
        rules = copyShippedRules(dir.resolve("rules"));
        service = TestService.start(dir.resolve("data"), Map.of("RULES_DIR", rules.toString(), "RULES_POLL_SECONDS", "0"));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    static Path copyShippedRules(Path target) throws IOException {
        return ShippedRules.copyTo(target);
    }

    private String version() {
        return expect(200, service.get("/v1/rules")).body().path("version").asText();
    }

    @Test
    void aNewPolicyFileIsANewConversionEventWithoutARestart() throws IOException {
        service.liveCampaign("before", "multi_touch", "placed_order");
        service.enroll("before", "kept", ENROLLED);
        String oldVersion = version();

        Files.writeString(rules.resolve("added-to-wishlist.drl"), WISHLIST);
        Files.writeString(rules.resolve("added-to-wishlist.cases.yaml"), WISHLIST_CASES);
        JsonNode report = expect(200, service.post("/v1/rules/reload")).body();

        assertEquals("loaded", report.path("outcome").asText());
        assertNotEquals(oldVersion, report.path("version").asText());
        assertEquals(report.path("version").asText(), version());
        boolean listed = false;
        for (JsonNode event : expect(200, service.get("/v1/conversion-events")).body().path("conversionEvents")) {
            listed |= event.path("id").asText().equals("added_to_wishlist");
        }
        assertTrue(listed, "the catalogue lists the new conversion event");

        service.liveCampaign("wish", "multi_touch", "added_to_wishlist");
        service.enroll("wish", "ann", ENROLLED);
        service.event("w1", "ann", "Added to Wishlist", AFTER, null);
        JsonNode exit = expect(200, service.get("/v1/campaigns/wish/enrollments/ann")).body().path("exit");
        assertEquals("added_to_wishlist", exit.path("conversionEvent").asText());
        assertEquals("added-to-wishlist.drl", exit.path("rule").path("file").asText());
        assertEquals(version(), exit.path("rule").path("rulesVersion").asText());

        // Enrollments made under the old rules are still in the sessions.
        service.event("o1", "kept", "Placed Order", AFTER, null);
        JsonNode kept = expect(200, service.get("/v1/campaigns/before/enrollments/kept")).body();
        assertEquals("converted", kept.path("status").asText());
        assertEquals("placed-order.drl", kept.path("exit").path("rule").path("file").asText());
        assertEquals("An order converts the user out of every live campaign waiting for an order",
                kept.path("exit").path("rule").path("name").asText());
    }

    @Test
    void rulesThatDoNotCompileAreReportedAndTheOldOnesKeepRunning() throws IOException {
        String oldVersion = version();
        Files.writeString(rules.resolve("broken.drl"), WISHLIST.replace("then", "thn"));

        TestService.Reply reply;
        try (LogCapture log = LogCapture.of(LiveRules.class)) {
            reply = service.post("/v1/rules/reload");
            assertTrue(log.messages(Level.WARN).get(0).contains("broken.drl:"), "logged with its errors");
        }

        problem(422, reply);
        assertTrue(reply.detail().contains("broken.drl:"), reply.detail());
        JsonNode shown = expect(200, service.get("/v1/rules")).body();
        assertEquals(oldVersion, shown.path("version").asText());
        assertEquals("invalid", shown.path("lastReload").path("outcome").asText());
        JsonNode error = shown.path("lastReload").path("errors").get(0);
        assertEquals("broken.drl", error.path("file").asText());
        assertTrue(error.path("line").asInt() > 0, error.toString());

        service.liveCampaign("still", "multi_touch", "placed_order");
        service.enroll("still", "bob", ENROLLED);
        service.event("o2", "bob", "Placed Order", AFTER, null);
        assertEquals("converted", service.status("still", "bob"));
    }

    @Test
    void aLoopingRuleIsRefusedAtReloadInCheckRulesWords() throws IOException {
        Path policy = rules.resolve("placed-order.drl");
        Files.writeString(policy, Files.readString(policy).replace("delete( $enrollment );",
                "update( $order );\n    delete( $enrollment );"));

        TestService.Reply reply = service.post("/v1/rules/reload");

        problem(422, reply);
        ByteArrayOutputStream checked = new ByteArrayOutputStream();
        CheckRulesCommand.run(rules, new PrintStream(checked, true, StandardCharsets.UTF_8));
        String line = checked.toString(StandardCharsets.UTF_8).lines()
                .filter(printed -> printed.contains("calls update")).findFirst().orElseThrow();
        assertTrue(reply.detail().contains(line), reply.detail() + "\n does not contain \n" + line);
        JsonNode error = expect(200, service.get("/v1/rules")).body().path("lastReload").path("errors").get(0);
        assertEquals(line, error.path("file").asText() + ":" + error.path("line").asInt() + ":"
                + error.path("column").asInt() + ": error: " + error.path("message").asText());
    }

    @Test
    void removingAConversionEventALiveCampaignUsesIsRefusedNamingTheCampaign() throws IOException {
        service.liveCampaign("needs-sms", "multi_touch", "clicked_sms");
        String oldVersion = version();
        Files.delete(rules.resolve("clicked-sms.drl"));
        Files.delete(rules.resolve("clicked-sms.cases.yaml"));

        TestService.Reply reply;
        try (LogCapture log = LogCapture.of(LiveRules.class)) {
            reply = service.post("/v1/rules/reload");
            assertTrue(log.messages(Level.WARN).get(0).contains("needs-sms (clicked_sms)"), "logged");
        }

        problem(409, reply);
        assertTrue(reply.detail().contains("needs-sms (clicked_sms)"), reply.detail());
        assertEquals(oldVersion, version());
        assertEquals("refused", expect(200, service.get("/v1/rules")).body().path("lastReload").path("outcome").asText());

        expect(200, service.post("/v1/campaigns/needs-sms/end"));
        assertEquals("loaded", expect(200, service.post("/v1/rules/reload")).body().path("outcome").asText());
    }

    @Test
    void removingOneOfALiveCampaignsConversionEventsIsRefusedNamingThatEvent() throws IOException {
        expect(201, service.post("/v1/campaigns", "{\"id\":\"order-or-sms\",\"name\":\"o\",\"type\":\"multi_touch\","
                + "\"conversionEvents\":[\"placed_order\",\"clicked_sms\"]}"));
        expect(200, service.post("/v1/campaigns/order-or-sms/launch"));
        Files.delete(rules.resolve("clicked-sms.drl"));
        Files.delete(rules.resolve("clicked-sms.cases.yaml"));

        TestService.Reply reply = service.post("/v1/rules/reload");

        problem(409, reply);
        assertTrue(reply.detail().contains("order-or-sms (clicked_sms)"), reply.detail());
        expect(200, service.patch("/v1/campaigns/order-or-sms", "{\"conversionEvents\":[\"placed_order\"]}"));
        assertEquals("loaded", expect(200, service.post("/v1/rules/reload")).body().path("outcome").asText());
    }

    @Test
    void aDraftNamingAConversionEventThatWentAwayCannotLaunch() throws IOException {
        expect(201, service.post("/v1/campaigns",
                "{\"id\":\"draft-sms\",\"name\":\"d\",\"type\":\"multi_touch\",\"conversionEvent\":\"clicked_sms\"}"));
        Files.delete(rules.resolve("clicked-sms.drl"));
        Files.delete(rules.resolve("clicked-sms.cases.yaml"));
        expect(200, service.post("/v1/rules/reload"));

        TestService.Reply launch = service.post("/v1/campaigns/draft-sms/launch");

        problem(422, launch);
        assertTrue(launch.detail().contains("clicked_sms"), launch.detail());
        JsonNode review = expect(200, service.get("/v1/campaigns/draft-sms/review")).body();
        assertTrue(review.path("conversionEvent").path("missing").asBoolean());
    }

    @Test
    void theSameContentsAreUnchangedAndTheRulesListShowsFilesAndEvents() {
        assertEquals("unchanged", expect(200, service.post("/v1/rules/reload")).body().path("outcome").asText());
        JsonNode shown = expect(200, service.get("/v1/rules")).body();
        List<String> files = new ArrayList<>();
        shown.path("files").forEach(file -> files.add(file.path("file").asText() + "="
                + file.path("conversionEvents").toString()));
        assertTrue(files.contains("placed-order.drl=[\"placed_order\"]"), files.toString());
        assertTrue(shown.path("loadedAt").isTextual());
    }

    @Test
    void theCasesRouteSaysWhichCaseFailsHowAndWhichCaseFileCannotBeRead() throws IOException {
        Files.writeString(rules.resolve("wrong.cases.yaml"), "cases:\n" + PolicyFolder.orderCase("ann stays", """
                exits: []
                active:
                  - user: ann
                    campaign: black-friday"""));
        Files.writeString(rules.resolve("unreadable.cases.yaml"), "name: not a case file\n");

        JsonNode report = expect(200, service.get("/v1/rules/cases")).body();

        assertEquals(version(), report.path("rulesVersion").asText());
        assertEquals(1, report.path("failed").asInt(), report.toString());
        JsonNode failing = null;
        for (JsonNode ruleCase : report.path("cases")) {
            if (!ruleCase.path("passed").asBoolean()) {
                failing = ruleCase;
            }
        }
        assertEquals("wrong.cases.yaml", failing.path("file").asText());
        assertEquals("ann stays", failing.path("name").asText());
        assertTrue(failing.path("failures").get(0).asText().contains("expected ann to still be in black-friday"),
                failing.toString());
        JsonNode unreadable = report.path("unreadable").get(0);
        assertEquals("unreadable.cases.yaml", unreadable.path("file").asText());
        assertEquals(1, unreadable.path("line").asInt());
        assertTrue(unreadable.path("message").asText().startsWith("a case file starts with 'cases:'"), unreadable.toString());
    }
}
