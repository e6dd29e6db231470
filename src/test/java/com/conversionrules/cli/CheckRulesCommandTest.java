package com.conversionrules.cli;

import static com.conversionrules.rules.cases.PolicyFolder.BROWSING_DOES_NOT_CONVERT;
import static com.conversionrules.rules.cases.PolicyFolder.CONVERTS;
import static com.conversionrules.rules.cases.PolicyFolder.POLICY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.rules.ShippedDecisionTable;
import com.conversionrules.rules.cases.PolicyFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-rules} on broken folders: the exact lines an analyst reads, and the exit code. */
class CheckRulesCommandTest {
    private static final String RULE = "rule \"" + PolicyFolder.ORDER_RULE + "\"";
    private static final String EVENT_FIELDS = "campaignId, id, name, properties, time, userId, value";

    @TempDir
    Path dir;

    private String output;

    private int check() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Commands.run(new String[] {"check-rules", dir.toString()}, Map.of(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        output = bytes.toString(StandardCharsets.UTF_8).replace(dir + ":", "DIR:");
        return code;
    }

    private void policyWithCases(String policy) throws IOException {
        PolicyFolder.withCases(dir, CONVERTS, BROWSING_DOES_NOT_CONVERT);
        PolicyFolder.write(dir, "placed-order.drl", policy);
    }

    @Test
    void aPolicyWithPassingCasesIsClean() throws IOException {
        policyWithCases(POLICY);
        assertEquals(0, check());
        assertEquals("DIR: no problems\n", output);
    }

    @Test
    void aSyntaxErrorIsReportedAtItsLineAndColumn() throws IOException {
        policyWithCases(POLICY.replace("then", "thn"));
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:17:5: error: a condition is not closed before 'delete' in %1$s: check that 'then' \
                is spelled right and that every '(' has its ')'
                placed-order.drl:18:13: error: Drools cannot read '[' in %1$s: check this line and the one before it \
                for a missing bracket, comma or quote, or a misspelt keyword (rule, when, then, end)
                DIR: 2 errors, 0 warnings
                """.formatted(RULE), output);
    }

    @Test
    void assigningInsteadOfComparingSaysToWriteDoubleEquals() throws IOException {
        policyWithCases(POLICY.replace("conversionEvent == \"placed_order\"", "conversionEvent = \"placed_order\""));
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:14:47: error: Drools cannot read '=' in %s: to compare, write '=='
                DIR: 1 error, 0 warnings
                """.formatted(RULE), output);
    }

    @Test
    void anUnknownFieldNamesTheFieldsThereAre() throws IOException {
        policyWithCases(POLICY.replace("UserEvent( name ==", "UserEvent( nmae =="));
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:13:25: error: UserEvent has no field 'nmae' (did you mean 'name'?); its fields are %s
                DIR: 1 error, 0 warnings
                """.formatted(EVENT_FIELDS), output);
    }

    @Test
    void aMisspeltBindingIsPlacedAtItsLineEvenWhenDroolsGivesNone() throws IOException {
        policyWithCases(POLICY.replace("userId == $order.userId", "userId == $ordr.userId"));
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:14:66: error: '$ordr' is not bound in this rule: bind it in an earlier pattern \
                (e.g. $ordr : UserEvent( ... )) or fix its spelling
                DIR: 1 error, 0 warnings
                """, output);
    }

    @Test
    void aMisspeltNameInTheThenPartIsPlacedAtItsLine() throws IOException {
        policyWithCases(POLICY.replace("delete( $enrollment );", "delete( $enrolment );"));
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:17:13: error: '$enrolment' in the then-part is not bound in this rule: use a name \
                bound in the when-part (such as $enrollment) or fix its spelling
                DIR: 1 error, 0 warnings
                """, output);
    }

    @Test
    void aConversionMadeWithTheWrongThingsSaysHowToMakeOne() throws IOException {
        policyWithCases(POLICY.replace("new Conversion( $enrollment, $order )", "new Conversion( $enrollment )"));
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:18:30: error: new Conversion( ... ) is given the wrong things (Enrollment): a \
                conversion is sent as new Conversion( $enrollment, $event )
                DIR: 1 error, 0 warnings
                """, output);
    }

    @Test
    void aRuleThatSendsWithoutConversionEventMetadataIsAnError() throws IOException {
        policyWithCases(POLICY.replace("    @conversionEvent(\"placed_order\")\n", ""));
        assertEquals(1, check());
        assertEquals("""
                placed-order.cases.yaml:2:1: error: case "an order converts ann" fails: campaign black-friday waits \
                for conversion event 'placed_order', which no policy defines; use one of none
                placed-order.cases.yaml:28:1: error: case "browsing does not convert ann" fails: campaign \
                black-friday waits for conversion event 'placed_order', which no policy defines; use one of none
                placed-order.drl:9:1: error: %s sends conversions but has no @conversionEvent("...") metadata: \
                add @conversionEvent("an_event_id"), @label("...") and @description("...") under the rule name, or \
                no campaign can choose it
                DIR: 3 errors, 0 warnings
                """.formatted(RULE), output);
    }

    @Test
    void aRuleMatchingCampaignsOfAnotherConversionEventIsAnError() throws IOException {
        policyWithCases(POLICY.replace("conversionEvent == \"placed_order\"", "conversionEvent == \"placed_ordr\""));
        assertEquals(1, check());
        assertTrue(output.lines().toList().contains("placed-order.drl:14:50: error: " + RULE + " declares conversion "
                + "event 'placed_order' but matches campaigns waiting for 'placed_ordr': write Enrollment( "
                + "conversionEvent == \"placed_order\", ... ) so the rule converts the campaigns that chose it"), output);
    }

    @Test
    void aRuleWhoseEnrollmentPatternLetsEveryEnrollmentThroughIsAWarning() throws IOException {
        policyWithCases(POLICY.replace("conversionEvent == \"placed_order\", ", "")
                .replace("Campaign( live, ", "Campaign( live, conversionEvent == \"placed_order\", "));
        assertEquals(0, check());
        assertEquals("""
                placed-order.drl:9:1: warning: %1$s does not say which enrollments it converts: write Enrollment( \
                conversionEvent == "placed_order", ... ) so the rule holds only the enrollments of campaigns waiting \
                for 'placed_order' (each rule that lets every enrollment through keeps all of them in memory again)
                DIR: 0 errors, 1 warning
                """.formatted(RULE), output);
    }

    @Test
    void aRuleThatIgnoresTheConversionWindowIsAWarning() throws IOException {
        policyWithCases(POLICY.replace("inConversionWindow( $order )", "enrolledAt <= $order.time"));
        assertEquals(0, check());
        assertEquals("""
                placed-order.drl:9:1: warning: %s ignores the campaign's conversion window: match the enrollment \
                with Enrollment( ..., inConversionWindow( $event ) ) so late events do not convert
                DIR: 0 errors, 1 warning
                """.formatted(RULE), output);
    }

    @Test
    void aRuleThatSendsButKeepsTheEnrollmentIsAWarning() throws IOException {
        policyWithCases(POLICY.replace("    delete( $enrollment );\n", ""));
        assertEquals(0, check());
        assertEquals("""
                placed-order.drl:9:1: warning: %1$s sends a conversion but does not delete the enrollment: the \
                service ends it anyway once the conversion is sent, but until then other rules still see the user \
                enrolled; add delete( $enrollment ); before the send
                DIR: 0 errors, 1 warning
                """.formatted(RULE), output);
    }

    @Test
    void aThenPartThatChangesTheShardsFactsIsAnError() throws IOException {
        policyWithCases(POLICY.replace("    delete( $enrollment );\n",
                "    update( $order );\n    insert( new Object() );\n    delete( $order );\n    delete( $enrollment );\n"));
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:9:1: error: %1$s calls update( ... ) in its then-part: a policy must not change \
                the events, enrollments or campaigns the shard owns (a change makes the rules fire again and can loop \
                for ever); delete( $enrollment ) and send the conversion instead
                placed-order.drl:9:1: error: %1$s calls insert( ... ) in its then-part: a fact a policy inserts \
                stays in the shard's memory for ever; send what the rule found to the sender channel instead
                placed-order.drl:9:1: error: %1$s deletes $order, which is not the Enrollment it matches: a policy \
                deletes only the enrollment it converts (write $enrollment : Enrollment( ... ) and delete( $enrollment ))
                DIR: 3 errors, 0 warnings
                """.formatted(RULE), output);
    }

    @Test
    void aRuleThatThrowsInACaseFailsTheCaseNamingTheRule() throws IOException {
        policyWithCases(POLICY.replace("    delete( $enrollment );\n",
                "    if ( true ) { throw new IllegalStateException(\"unfinished\"); }\n    delete( $enrollment );\n"));
        assertEquals(1, check());
        assertEquals("""
                placed-order.cases.yaml:2:1: error: case "an order converts ann" fails: the service would set event \
                evt-1 aside: the rule failed: IllegalStateException: unfinished (rule "%s")
                DIR: 1 error, 0 warnings
                """.formatted(PolicyFolder.ORDER_RULE), output);
    }

    @Test
    void aFailingCaseIsAnErrorAtTheCase() throws IOException {
        PolicyFolder.withCases(dir, CONVERTS, BROWSING_DOES_NOT_CONVERT.replace("Viewed Product", "Placed Order"));
        assertEquals(1, check());
        assertEquals("""
                placed-order.cases.yaml:28:1: error: case "browsing does not convert ann" fails: expected ann to \
                still be in black-friday but ann left it (placed_order), when event evt-1 (Placed Order) arrived, \
                through the rule "%s"
                DIR: 1 error, 0 warnings
                """.formatted(PolicyFolder.ORDER_RULE), output);
    }

    @Test
    void aPolicyNeedsCasesThatConvertAndCasesThatDoNot() throws IOException {
        PolicyFolder.write(dir, "placed-order.drl", POLICY);
        assertEquals(1, check());
        assertEquals("""
                placed-order.drl:10:6: error: no cases for conversion event 'placed_order': write \
                placed-order.cases.yaml beside this policy, with a case where placed_order converts and one where \
                it must not (see rules/README.md)
                DIR: 1 error, 0 warnings
                """, output);

        PolicyFolder.withCases(dir, CONVERTS);
        assertEquals(1, check());
        assertEquals("""
                placed-order.cases.yaml:1:1: error: no case shows when 'placed_order' must not convert: add a case \
                where an event must not count (another event, another user, before enrolling, after the window) \
                with 'exits: []' and the user under 'active:'
                DIR: 1 error, 0 warnings
                """, output);

        PolicyFolder.withCases(dir, BROWSING_DOES_NOT_CONVERT);
        assertEquals(1, check());
        assertEquals("""
                placed-order.cases.yaml:1:1: error: no case converts on 'placed_order': add a case whose \
                expect.exits lists a user with conversionEvent: placed_order
                DIR: 1 error, 0 warnings
                """, output);
    }

    @Test
    void anEventNameNoSourceSendsIsAWarningThatStillPasses() throws IOException {
        PolicyFolder.withCases(dir, CONVERTS.replace("Placed Order", "Placed Ordr"), BROWSING_DOES_NOT_CONVERT);
        PolicyFolder.write(dir, "placed-order.drl", POLICY.replace("Placed Order", "Placed Ordr"));
        assertEquals(0, check());
        assertEquals("""
                placed-order.drl:13:33: warning: no documented source sends the event 'Placed Ordr' (did you mean \
                'Placed Order'?); a name nobody sends never matches, so this condition never converts anyone. If a \
                new source sends it, add it to the known event names
                DIR: 0 errors, 1 warning
                """, output);
    }

    @Test
    void twoFilesClaimingOneConversionEventPointAtTheSecondClaim() throws IOException {
        policyWithCases(POLICY);
        PolicyFolder.write(dir, "reorder.drl", POLICY.replace("An order converts the user", "A reorder converts"));
        assertEquals(1, check());
        assertEquals("""
                reorder.drl:10:22: error: conversion event 'placed_order' is already defined in placed-order.drl; \
                each conversion event lives in one file
                DIR: 1 error, 0 warnings
                """, output);
    }

    @Test
    void aDecisionTableErrorIsReportedAtTheRowOfTheTable() throws IOException {
        policyWithCases(POLICY);
        String table = Files.readString(Path.of("rules", "shopping-intent.drl.csv"));
        PolicyFolder.write(dir, "shopping-intent.drl.csv", table.replace("\"name == \"\"$param\"\"\"",
                "\"nmae == \"\"$param\"\"\""));
        PolicyFolder.write(dir, "shopping-intent.cases.yaml", Files.readString(Path.of("rules",
                "shopping-intent.cases.yaml")));
        assertEquals(1, check());
        assertEquals("shopping-intent.drl.csv:10:1: error: UserEvent has no field 'nmae' (did you mean 'name'?); its "
                + "fields are " + EVENT_FIELDS, output.lines().findFirst().orElseThrow());
        // The broken condition is in every row, so each row's rule reports it.
        assertEquals("DIR: " + ShippedDecisionTable.ruleNames().size() + " errors, 0 warnings",
                output.lines().reduce((first, second) -> second).orElseThrow());
    }

    @Test
    void anUnreadableDecisionTableNamesItsCell() throws IOException {
        policyWithCases(POLICY);
        PolicyFolder.write(dir, "broken.drl.csv", """
                "RuleSet","policies"
                "RuleTable Broken"
                "NAME","CONDITION"
                ,"$event : UserEvent"
                ,"name == ""$param""\"
                "Rule","Event name",
                "Stray",,"text"
                """);
        assertEquals(1, check());
        assertEquals("""
                broken.drl.csv:7:3: error: the decision table cannot be read: Code description in cell C7 does not \
                have an 'ACTION' or 'CONDITION' column header.
                DIR: 1 error, 0 warnings
                """, output);
    }

    @Test
    void aSpreadsheetDroolsWouldSkipIsAWarning() throws IOException {
        policyWithCases(POLICY);
        PolicyFolder.write(dir, "vip.csv", "\"RuleSet\",\"policies\"\n");
        assertEquals(0, check());
        assertEquals("""
                vip.csv: warning: this spreadsheet is ignored: Drools only reads decision tables named *.drl.csv, \
                *.drl.xls or *.drl.xlsx; rename it to vip.drl.csv if it holds rules
                DIR: 0 errors, 1 warning
                """, output);
    }

    @Test
    void aRuleThatDeclaresAConversionEventButNeverSendsIsAWarning() throws IOException {
        policyWithCases(POLICY);
        PolicyFolder.write(dir, "silent.drl", POLICY.replace("An order converts the user", "A silent rule")
                .replace("placed_order", "silent").replace(
                        "    channels[\"sender\"].send( new Conversion( $enrollment, $order ) );\n", ""));
        PolicyFolder.write(dir, "silent.cases.yaml", "cases:\n" + BROWSING_DOES_NOT_CONVERT.replace("placed_order",
                "silent"));
        assertEquals(1, check());
        assertEquals("""
                silent.cases.yaml:1:1: error: no case converts on 'silent': add a case whose expect.exits lists a \
                user with conversionEvent: silent
                silent.drl:9:1: warning: rule "A silent rule" declares conversion event 'silent' but never sends a \
                conversion: end its then-part with channels["sender"].send( new Conversion( $enrollment, $event ) );
                DIR: 1 error, 1 warning
                """, output);
    }

    @Test
    void casesWithoutAPolicyBesideThemAreAWarning() throws IOException {
        policyWithCases(POLICY);
        PolicyFolder.write(dir, "orders.cases.yaml", "cases:\n" + CONVERTS);
        assertEquals(0, check());
        assertEquals("""
                orders.cases.yaml:1:1: warning: no policy beside these cases: name them after the policy they test, \
                e.g. placed-order.cases.yaml for placed-order.drl
                DIR: 0 errors, 1 warning
                """, output);
    }

    @Test
    void theFolderDefaultsToRulesDir() throws IOException {
        policyWithCases(POLICY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, Commands.run(new String[] {"check-rules"}, Map.of("RULES_DIR", dir.toString()),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err));
        assertEquals(dir + ": no problems\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFolderIsAnError() {
        dir = dir.resolve("nope");
        assertEquals(1, check());
        assertEquals("DIR: error: the rules folder does not exist; pass the folder that holds the .drl policies\n"
                + "DIR: 1 error, 0 warnings\n", output);
    }
}
