package com.conversionrules.rules.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.conversionrules.model.CampaignStatus;
import com.conversionrules.model.CampaignType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Case files read into cases, and every mistake in one reported at its line with what to fix. */
class CaseFileReaderTest {
    private static final String FILE = "placed-order.cases.yaml";

    private static String problem(String text) {
        CaseFileException error = assertThrows(CaseFileException.class, () -> CaseFileReader.read(FILE, text));
        return error.file() + ":" + error.line() + ":" + error.column() + ": " + error.getMessage();
    }

    @Test
    void aCaseReadsWithItsDefaults() throws Exception {
        List<RuleCase> cases = CaseFileReader.read(FILE, "cases:\n" + PolicyFolder.CONVERTS.replace(
                "conversionEvent: placed_order\n      enrollments", "conversionEvent: placed_order\n"
                        + "          conversionWindow: P7D\n      enrollments").replace(
                "time: 2026-11-02T10:00:00Z", "time: 2026-11-02T10:00:00Z\n        properties: {value: 120}"));
        assertEquals(1, cases.size());
        RuleCase ruleCase = cases.get(0);
        assertEquals("an order converts ann", ruleCase.name());
        assertEquals(2, ruleCase.line());
        RuleCase.GivenCampaign campaign = ruleCase.campaigns().get(0);
        assertEquals(CampaignStatus.LIVE, campaign.status());
        assertEquals(CampaignType.MULTI_TOUCH, campaign.type());
        assertEquals(Duration.ofDays(7), campaign.conversionWindow().length());
        assertEquals(Instant.parse("2026-11-01T10:00:00Z").toEpochMilli(), ruleCase.enrollments().get(0).at());
        assertEquals(Map.of("value", 120), ruleCase.events().get(0).properties());
        assertEquals(List.of(new RuleCase.Placement("ann", "black-friday", "placed_order")), ruleCase.exits());
        assertEquals(List.of(new RuleCase.Placement("bob", "black-friday", null)), ruleCase.active());
        assertNull(ruleCase.fired());
    }

    @Test
    void aMisspeltKeyIsRefusedWithTheKeysAllowedThere() {
        assertEquals(FILE + ":6:11: case \"an order converts ann\": unknown key 'conversionevent' in "
                        + "given.campaigns[0]; the keys there are conversionEvent, conversionEvents, conversionWindow, id, status, type",
                problem("cases:\n" + PolicyFolder.CONVERTS.replace("conversionEvent: placed_order\n      enrollments",
                        "conversionevent: placed_order\n      enrollments")));
    }

    @Test
    void aTimeWithoutAnOffsetIsRefused() {
        assertEquals(FILE + ":10:15: case \"an order converts ann\": given.enrollments[0].at '2026-11-01 10:00' is "
                        + "not an ISO-8601 time with an offset, such as 2026-11-01T10:00:00Z",
                problem("cases:\n" + PolicyFolder.CONVERTS.replaceFirst("2026-11-01T10:00:00Z", "2026-11-01 10:00")));
    }

    @Test
    void aBadConversionWindowIsRefused() {
        assertEquals(FILE + ":7:29: case \"an order converts ann\": given.campaigns[0].conversionWindow '1 week' is "
                        + "not an ISO-8601 duration in days, hours, minutes or seconds, such as P7D (7 days), PT12H "
                        + "(12 hours) or P1DT6H",
                problem("cases:\n" + PolicyFolder.CONVERTS.replace("conversionEvent: placed_order\n      enrollments",
                        "conversionEvent: placed_order\n          conversionWindow: 1 week\n      enrollments")));
    }

    @Test
    void anExpectationAboutSomeoneNotEnrolledIsRefused() {
        assertEquals(FILE + ":25:17: case \"an order converts ann\": expect.active[0] names cyd in black-friday, but "
                        + "the case does not enroll cyd in black-friday; add the enrollment under given.enrollments",
                problem("cases:\n" + PolicyFolder.CONVERTS.replace("active:\n        - user: bob",
                        "active:\n        - user: cyd")));
    }

    @Test
    void aMissingFieldSaysWhichOne() {
        assertEquals(FILE + ":2:11: case \"an order converts ann\": when[0].time is missing; every when needs 'time:'",
                problem("cases:\n" + PolicyFolder.CONVERTS.replace("        time: 2026-11-02T10:00:00Z\n", "")));
    }

    @Test
    void brokenYamlIsReportedAtItsLine() {
        assertEquals(FILE + ":5:6: this is not valid YAML (expected <block end>, but found '<block mapping start>'); "
                        + "check the indentation, and that every list item starts with '- '",
                problem("cases:\n  - name: x\n    given:\n      campaigns: []\n     when: []\n"));
    }

    @Test
    void aFileWithoutCasesSaysHowOneStarts() {
        assertEquals(FILE + ":1:1: a case file starts with 'cases:' followed by a list of cases, each starting "
                + "with '- name:'", problem("name: x\n"));
    }
}
