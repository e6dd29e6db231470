package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.model.Rejection;
import com.conversionrules.reload.LiveRules;
import com.conversionrules.reload.ReloadReport;
import com.conversionrules.rules.ConversionEventDefinition;
import com.conversionrules.rules.LoadedRules;
import com.conversionrules.rules.RuleProblem;
import com.conversionrules.rules.cases.CaseFileException;
import com.conversionrules.rules.cases.CaseReport;
import com.conversionrules.rules.cases.CaseResult;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.stream.Collectors;

/** The rules the service runs, reloading them on demand, and how the analysts' cases fare against them. */
final class RulesRoutes {
    private final CampaignService campaigns;
    private final LiveRules liveRules;

    RulesRoutes(CampaignService campaigns, LiveRules liveRules) {
        this.campaigns = campaigns;
        this.liveRules = liveRules;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/rules").handler(access).handler(this::show);
        router.post("/v1/rules/reload").handler(access).handler(this::reload);
        router.get("/v1/rules/cases").handler(access).handler(this::cases);
    }

    private void show(RoutingContext ctx) {
        LoadedRules rules = campaigns.rules();
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("version", rules.version())
                .put("loadedAt", rules.loadedAt().toString());
        ArrayNode files = body.putArray("files");
        for (String file : rules.files()) {
            ArrayNode events = files.addObject().put("file", file).putArray("conversionEvents");
            rules.conversionEvents().all().stream().filter(definition -> file.equals(definition.file()))
                    .map(ConversionEventDefinition::id).forEach(events::add);
        }
        ReloadReport last = liveRules.lastReload();
        body.set("lastReload", last == null ? null : report(last));
        Json.reply(ctx, 200, body);
    }

    private void reload(RoutingContext ctx) {
        Replies.json(ctx, liveRules.reload(), 200, report -> {
            if (report.applied()) {
                return report(report).put("activeVersion", campaigns.rules().version());
            }
            throw new Rejection(report.refused() ? Rejection.Kind.CONFLICT : Rejection.Kind.UNPROCESSABLE,
                    report.message() + problems(report));
        });
    }

    private static String problems(ReloadReport report) {
        return report.problems().isEmpty() ? ""
                : ":\n" + report.problems().stream().map(RuleProblem::toString).collect(Collectors.joining("\n"));
    }

    private static ObjectNode report(ReloadReport report) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("at", report.at().toString())
                .put("outcome", report.outcome())
                .put("version", report.version())
                .put("message", report.message());
        ArrayNode problems = node.putArray("errors");
        report.problems().forEach(problem -> addProblem(problems, problem));
        return node;
    }

    /** Runs the case files in the rules folder against the running rules, as test-rules would. */
    private void cases(RoutingContext ctx) {
        Replies.json(ctx, liveRules.runCases(), 200, RulesRoutes::report);
    }

    private static ObjectNode report(CaseReport report) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("rulesVersion", report.rulesVersion())
                .put("passed", report.results().size() - report.failed())
                .put("failed", report.failed());
        ArrayNode cases = body.putArray("cases");
        for (CaseResult result : report.results()) {
            ObjectNode node = cases.addObject()
                    .put("file", result.ruleCase().file())
                    .put("line", result.ruleCase().line())
                    .put("name", result.ruleCase().name())
                    .put("passed", result.passed());
            result.failures().forEach(node.putArray("failures")::add);
        }
        ArrayNode unreadable = body.putArray("unreadable");
        for (CaseFileException file : report.unreadable()) {
            addProblem(unreadable, new RuleProblem(file.file(), file.line(), file.column(), file.getMessage()));
        }
        return body;
    }

    private static void addProblem(ArrayNode problems, RuleProblem problem) {
        problems.addObject()
                .put("file", problem.file())
                .put("line", problem.line())
                .put("column", problem.column())
                .put("message", problem.message());
    }
}
