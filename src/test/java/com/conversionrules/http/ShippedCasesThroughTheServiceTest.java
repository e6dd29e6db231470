package com.conversionrules.http;

import static com.conversionrules.http.TestService.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RulesLoader;
import com.conversionrules.rules.cases.CaseRunner;
import com.conversionrules.rules.cases.RuleCase.GivenCampaign;
import com.conversionrules.rules.cases.RuleCase.GivenEnrollment;
import com.conversionrules.rules.cases.RuleCase.GivenEvent;
import com.conversionrules.rules.cases.RuleCase;
import com.conversionrules.rules.cases.RuleCases;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * test-rules means what the service would do: every shipped case is played through the running
 * service over HTTP (campaigns, enrollments and events as a platform sends them) and through the
 * analysts' case runner, and where each user ends up must be the same.
 */
class ShippedCasesThroughTheServiceTest {
    private static final Path RULES = Path.of("rules");

    @TempDir
    Path dir;

    @Test
    void everyShippedCaseEndsTheSameOverHttpAsInTestRules() throws Exception {
        LoadedRules rules = new RulesLoader(RULES).load();
        CaseRunner runner = new CaseRunner(rules);
        List<RuleCase> cases = RuleCases.read(RULES).cases();
        assertFalse(cases.isEmpty());
        try (TestService service = TestService.start(dir)) {
            for (int n = 0; n < cases.size(); n++) {
                RuleCase ruleCase = cases.get(n);
                // Each case gets its own ids, so all of them share one service.
                String prefix = "case" + n + "-";
                assertEquals(runner.outcome(ruleCase), played(service, ruleCase, prefix),
                        ruleCase.file() + ":" + ruleCase.line() + " \"" + ruleCase.name() + "\"");
            }
        }
    }

    private static Map<String, String> played(TestService service, RuleCase ruleCase, String prefix) {
        for (GivenCampaign campaign : ruleCase.campaigns()) {
            ObjectNode body = TestService.JSON.createObjectNode()
                    .put("id", prefix + campaign.id())
                    .put("name", campaign.id())
                    .put("type", campaign.type().wire());
            ArrayNode goals = body.putArray("conversionEvents");
            for (ConversionGoal goal : campaign.goals()) {
                goals.addObject().put("id", goal.conversionEvent()).put("conversionWindow",
                        goal.conversionWindow() == null ? null : goal.conversionWindow().toString());
            }
            if (campaign.conversionWindow() != null) {
                body.put("conversionWindow", campaign.conversionWindow().toString());
            }
            expect(201, service.post("/v1/campaigns", body.toString()));
            if (campaign.status() != CampaignStatus.DRAFT) {
                expect(200, service.post("/v1/campaigns/" + prefix + campaign.id() + "/launch"));
            }
            if (campaign.status() == CampaignStatus.ENDED) {
                expect(200, service.post("/v1/campaigns/" + prefix + campaign.id() + "/end"));
            }
        }
        for (GivenEnrollment enrollment : ruleCase.enrollments()) {
            service.post("/v1/campaigns/" + prefix + enrollment.campaign() + "/enrollments",
                    TestService.JSON.createObjectNode().put("userId", prefix + enrollment.user())
                            .put("enrolledAt", Instant.ofEpochMilli(enrollment.at()).toString()).toString());
        }
        for (GivenEvent event : ruleCase.events()) {
            ObjectNode body = TestService.JSON.createObjectNode()
                    .put("id", prefix + event.id())
                    .put("userId", prefix + event.user())
                    .put("name", event.name())
                    .put("time", Instant.ofEpochMilli(event.time()).toString());
            if (event.campaignId() != null) {
                body.put("campaignId", prefix + event.campaignId());
            }
            ObjectNode properties = TestService.JSON.valueToTree(event.properties());
            if (properties.has("campaign_id")) {
                properties.put("campaign_id", prefix + properties.path("campaign_id").asText());
            }
            body.set("properties", properties);
            expect(200, service.post("/v1/events", body.toString()));
        }
        Map<String, String> states = new TreeMap<>();
        for (GivenEnrollment enrollment : ruleCase.enrollments()) {
            TestService.Reply reply = service.get("/v1/campaigns/" + prefix + enrollment.campaign() + "/enrollments/"
                    + prefix + enrollment.user());
            if (reply.status() == 404) {
                continue; // never enrolled: the service refused it, as test-rules does
            }
            JsonNode state = expect(200, reply).body();
            String status = state.path("status").asText();
            states.put(enrollment.user() + " in " + enrollment.campaign(), status.equals("converted")
                    ? "converted:" + state.path("exit").path("conversionEvent").asText() : status);
        }
        return states;
    }
}
