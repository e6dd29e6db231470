package com.conversionrules.rules.cases;

import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import com.conversionrules.model.ConversionGoal;
import com.conversionrules.model.ConversionWindow;
import com.conversionrules.rules.SourceText;
import com.conversionrules.rules.cases.RuleCase.GivenCampaign;
import com.conversionrules.rules.cases.RuleCase.GivenEnrollment;
import com.conversionrules.rules.cases.RuleCase.GivenEvent;
import com.conversionrules.rules.cases.RuleCase.Placement;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a {@code *.cases.yaml} file (the format is described in {@code rules/README.md}). Strict on
 * purpose: a misspelt key would otherwise make a case test less than its author thinks.
 */
public final class CaseFileReader {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Set<String> FILE_KEYS = Set.of("cases");
    private static final Set<String> CASE_KEYS = Set.of("name", "given", "when", "expect");
    private static final Set<String> GIVEN_KEYS = Set.of("campaigns", "enrollments");
    private static final Set<String> CAMPAIGN_KEYS = Set.of("id", "conversionEvent", "conversionEvents", "type",
            "status", "conversionWindow");
    private static final Set<String> GOAL_KEYS = Set.of("id", "conversionWindow");
    private static final Set<String> ENROLLMENT_KEYS = Set.of("user", "campaign", "at");
    private static final Set<String> EVENT_KEYS = Set.of("id", "user", "name", "time", "campaignId", "properties");
    private static final Set<String> EXPECT_KEYS = Set.of("exits", "active", "fired");
    private static final Set<String> EXIT_KEYS = Set.of("user", "campaign", "conversionEvent");
    private static final Set<String> ACTIVE_KEYS = Set.of("user", "campaign");

    private final String file;
    private final SourceText source;
    /** Where the case being read starts; searches for the offending text begin there. */
    private int caseLine = 1;
    private String caseName;

    private CaseFileReader(String file, String text) {
        this.file = file;
        this.source = new SourceText(text);
    }

    /**
     * @param file the name to report, relative to the rules folder
     * @param text the file's contents
     */
    public static List<RuleCase> read(String file, String text) throws CaseFileException {
        return new CaseFileReader(file, text).cases(text);
    }

    private List<RuleCase> cases(String text) throws CaseFileException {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw notYaml(e);
        }
        if (root == null || !root.isObject() || !root.path("cases").isArray() || root.path("cases").isEmpty()) {
            throw new CaseFileException(file, 1, 1,
                    "a case file starts with 'cases:' followed by a list of cases, each starting with '- name:'");
        }
        keys(root, FILE_KEYS, "the file");
        List<RuleCase> cases = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode node : root.path("cases")) {
            RuleCase ruleCase = ruleCase(node, cases.size());
            if (!names.add(ruleCase.name())) {
                throw problem(ruleCase.name(), "two cases are named \"" + ruleCase.name()
                        + "\"; give each case its own name so a failure points at one");
            }
            cases.add(ruleCase);
        }
        return cases;
    }

    /** SnakeYAML's own problem and mark are shorter and closer to the mistake than Jackson's wrapper. */
    private CaseFileException notYaml(JsonProcessingException e) {
        String hint = "; check the indentation, and that every list item starts with '- '";
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return new CaseFileException(file, yaml.getProblemMark().getLine() + 1, yaml.getProblemMark().getColumn() + 1,
                    "this is not valid YAML (" + yaml.getProblem() + ")" + hint);
        }
        int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
        int column = e.getLocation() == null ? 1 : e.getLocation().getColumnNr();
        return new CaseFileException(file, line, column, "this is not valid YAML (" + e.getOriginalMessage() + ")" + hint);
    }

    private RuleCase ruleCase(JsonNode node, int index) throws CaseFileException {
        caseName = null;
        if (!node.isObject()) {
            throw problem("- ", "case " + (index + 1) + " must be a mapping that starts with 'name:'");
        }
        String name = text(node, "name", "case " + (index + 1));
        int searchFrom = index == 0 ? 1 : caseLine + 1; // past the previous case's own name
        caseLine = source.find(name, searchFrom).map(SourceText.Position::line).orElse(searchFrom);
        caseName = name;
        keys(node, CASE_KEYS, "a case");
        JsonNode given = required(node, "given", "say which campaigns and enrollments exist under 'given:'");
        keys(given, GIVEN_KEYS, "given");
        List<GivenCampaign> campaigns = new ArrayList<>();
        for (JsonNode campaign : list(given, "campaigns", true)) {
            campaigns.add(campaign(campaign, "given.campaigns[" + campaigns.size() + "]"));
        }
        Set<String> campaignIds = new HashSet<>();
        campaigns.forEach(campaign -> campaignIds.add(campaign.id()));
        List<GivenEnrollment> enrollments = new ArrayList<>();
        for (JsonNode enrollment : list(given, "enrollments", false)) {
            String where = "given.enrollments[" + enrollments.size() + "]";
            keys(enrollment, ENROLLMENT_KEYS, where);
            String campaign = knownCampaign(enrollment, where, campaignIds);
            enrollments.add(new GivenEnrollment(text(enrollment, "user", where), campaign,
                    time(enrollment, "at", where)));
        }
        List<GivenEvent> events = new ArrayList<>();
        for (JsonNode event : list(node, "when", true)) {
            events.add(event(event, "when[" + events.size() + "]", events.size() + 1));
        }
        JsonNode expect = required(node, "expect",
                "say who leaves under 'expect: exits:' and who stays under 'expect: active:'");
        keys(expect, EXPECT_KEYS, "expect");
        List<Placement> exits = new ArrayList<>();
        for (JsonNode exit : list(expect, "exits", false)) {
            String where = "expect.exits[" + exits.size() + "]";
            keys(exit, EXIT_KEYS, where);
            exits.add(enrolled(exit, where, enrollments, text(exit, "conversionEvent", where)));
        }
        List<Placement> active = new ArrayList<>();
        for (JsonNode stays : list(expect, "active", false)) {
            String where = "expect.active[" + active.size() + "]";
            keys(stays, ACTIVE_KEYS, where);
            active.add(enrolled(stays, where, enrollments, null));
        }
        if (exits.isEmpty() && active.isEmpty()) {
            throw problem("expect", "expect names nobody: list who leaves under 'exits:' and who stays under "
                    + "'active:' (write 'exits: []' to say nobody leaves)");
        }
        List<String> fired = null;
        if (expect.has("fired")) {
            fired = new ArrayList<>();
            for (JsonNode rule : list(expect, "fired", false)) {
                if (!rule.isTextual()) {
                    throw problem("fired", "expect.fired lists rule names, each a quoted sentence");
                }
                fired.add(rule.asText());
            }
        }
        return new RuleCase(file, caseLine, name, campaigns, enrollments, events, exits, active, fired);
    }

    private GivenCampaign campaign(JsonNode node, String where) throws CaseFileException {
        keys(node, CAMPAIGN_KEYS, where);
        String id = text(node, "id", where);
        List<ConversionGoal> goals = goals(node, where);
        CampaignType type = CampaignType.MULTI_TOUCH;
        if (node.has("type")) {
            String typeName = text(node, "type", where);
            type = CampaignType.fromWire(typeName);
            if (type == null) {
                throw problem(typeName, where + ".type '" + typeName + "' is not a campaign type; use multi_touch, "
                        + "automation or flow");
            }
        }
        CampaignStatus status = CampaignStatus.LIVE;
        if (node.has("status")) {
            String statusName = text(node, "status", where);
            status = switch (statusName) {
                case "draft" -> CampaignStatus.DRAFT;
                case "live" -> CampaignStatus.LIVE;
                case "ended" -> CampaignStatus.ENDED;
                default -> throw problem(statusName, where + ".status '" + statusName
                        + "' is not a campaign status; use draft, live or ended");
            };
        }
        return new GivenCampaign(id, goals, type, status, window(node, where));
    }

    /** {@code conversionEvent: placed_order}, or a list under {@code conversionEvents:} (ids, or id and window). */
    private List<ConversionGoal> goals(JsonNode node, String where) throws CaseFileException {
        if (node.has("conversionEvent") == node.has("conversionEvents")) {
            throw problem(node.has("conversionEvents") ? "conversionEvents" : caseName, where + " needs either "
                    + "'conversionEvent:' (one) or 'conversionEvents:' (a list of up to "
                    + ConversionGoal.MAX_PER_CAMPAIGN + "), not " + (node.has("conversionEvent") ? "both" : "neither"));
        }
        if (node.has("conversionEvent")) {
            return ConversionGoal.only(text(node, "conversionEvent", where));
        }
        List<JsonNode> items = list(node, "conversionEvents", true);
        if (items.size() > ConversionGoal.MAX_PER_CAMPAIGN) {
            throw problem("conversionEvents", where + ".conversionEvents lists " + items.size()
                    + " conversion events; a campaign waits for at most " + ConversionGoal.MAX_PER_CAMPAIGN);
        }
        List<ConversionGoal> goals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode item : items) {
            String at = where + ".conversionEvents[" + goals.size() + "]";
            ConversionGoal goal;
            if (item.isObject()) {
                keys(item, GOAL_KEYS, at);
                goal = new ConversionGoal(text(item, "id", at), window(item, at));
            } else if (item.isValueNode() && !item.asText().isBlank()) {
                goal = new ConversionGoal(item.asText(), null);
            } else {
                throw problem("conversionEvents", at + " must be a conversion event id, or a mapping with 'id:' "
                        + "and 'conversionWindow:'");
            }
            if (!seen.add(goal.conversionEvent())) {
                throw problem(goal.conversionEvent(), where + ".conversionEvents lists '" + goal.conversionEvent()
                        + "' twice; list each conversion event once");
            }
            goals.add(goal);
        }
        if (goals.size() > 1 && seen.contains("none")) {
            throw problem("none", where + ".conversionEvents lists none with other conversion events; none means "
                    + "the campaign never converts anyone, so it goes alone");
        }
        return goals;
    }

    private ConversionWindow window(JsonNode node, String where) throws CaseFileException {
        if (!node.has("conversionWindow")) {
            return null;
        }
        String windowText = text(node, "conversionWindow", where);
        try {
            return ConversionWindow.parse(windowText);
        } catch (IllegalArgumentException e) {
            throw problem(windowText, where + ".conversionWindow " + e.getMessage());
        }
    }

    private GivenEvent event(JsonNode node, String where, int position) throws CaseFileException {
        keys(node, EVENT_KEYS, where);
        String id = node.has("id") ? text(node, "id", where) : "event-" + position;
        Map<String, Object> properties = Map.of();
        if (node.has("properties")) {
            if (!node.get("properties").isObject()) {
                throw problem("properties", where + ".properties must be a mapping, e.g. 'properties: {value: 120}'");
            }
            properties = YAML.convertValue(node.get("properties"), YAML.getTypeFactory()
                    .constructMapType(Map.class, String.class, Object.class));
        }
        return new GivenEvent(id, text(node, "user", where), text(node, "name", where), time(node, "time", where),
                node.has("campaignId") ? text(node, "campaignId", where) : null, properties);
    }

    private String knownCampaign(JsonNode node, String where, Set<String> campaignIds) throws CaseFileException {
        String campaign = text(node, "campaign", where);
        if (!campaignIds.contains(campaign)) {
            throw problem(campaign, where + " names campaign '" + campaign + "', which the case does not give; "
                    + "add it under given.campaigns or fix the id");
        }
        return campaign;
    }

    private Placement enrolled(JsonNode node, String where, List<GivenEnrollment> enrollments, String conversionEvent)
            throws CaseFileException {
        String user = text(node, "user", where);
        String campaign = text(node, "campaign", where);
        if (enrollments.stream().noneMatch(e -> e.user().equals(user) && e.campaign().equals(campaign))) {
            throw problem(user, where + " names " + user + " in " + campaign + ", but the case does not enroll "
                    + user + " in " + campaign + "; add the enrollment under given.enrollments");
        }
        return new Placement(user, campaign, conversionEvent);
    }

    private List<JsonNode> list(JsonNode node, String key, boolean required) throws CaseFileException {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                throw problem(caseName, "'" + key + ":' is missing; list at least one item under it, each starting with '- '");
            }
            return List.of();
        }
        if (!value.isArray()) {
            throw problem(key, "'" + key + ":' must be a list, each item starting with '- '");
        }
        if (required && value.isEmpty()) {
            throw problem(key, "'" + key + ":' is empty; list at least one item under it");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    private JsonNode required(JsonNode node, String key, String hint) throws CaseFileException {
        JsonNode value = node.get(key);
        if (value == null || !value.isObject()) {
            throw problem(caseName, "'" + key + ":' is missing or not a mapping; " + hint);
        }
        return value;
    }

    private String text(JsonNode node, String key, String where) throws CaseFileException {
        JsonNode value = node.get(key);
        if (value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank()) {
            throw problem(caseName, where + "." + key + " is missing; every " + where.replaceAll("\\[\\d+]", "")
                    + " needs '" + key + ":'");
        }
        return value.asText();
    }

    private long time(JsonNode node, String key, String where) throws CaseFileException {
        String text = text(node, key, where);
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw problem(text, where + "." + key + " '" + text + "' is not an ISO-8601 time with an offset, "
                    + "such as 2026-11-01T10:00:00Z");
        }
    }

    private void keys(JsonNode node, Set<String> allowed, String where) throws CaseFileException {
        if (!node.isObject()) {
            throw problem(caseName, where + " must be a mapping of keys such as " + sorted(allowed));
        }
        var names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw problem(key + ":", "unknown key '" + key + "' in " + where + "; the keys there are "
                        + sorted(allowed));
            }
        }
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }

    /** A problem in the case being read, placed at the first line from the case on that shows the text. */
    private CaseFileException problem(String near, String message) {
        SourceText.Position at = source.find(near, caseLine).orElse(new SourceText.Position(caseLine, 1));
        String inCase = caseName == null ? "" : "case \"" + caseName + "\": ";
        return new CaseFileException(file, at.line(), at.column(), inCase + message);
    }
}
