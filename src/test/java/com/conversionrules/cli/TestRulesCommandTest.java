package com.conversionrules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.conversionrules.rules.cases.PolicyFolder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code test-rules}: one line per case, what differed on failure, and the exit code. */
class TestRulesCommandTest {
    @TempDir
    Path dir;

    private String output;

    private int run(Path rulesDir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Commands.run(new String[] {"test-rules", rulesDir.toString()}, Map.of(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        output = bytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void passingCasesPrintOneLineEachAndExitZero() throws Exception {
        PolicyFolder.withCases(dir, PolicyFolder.CONVERTS);
        assertEquals(0, run(dir));
        assertEquals("""
                PASS placed-order.cases.yaml: an order converts ann
                1 case: 1 passed, 0 failed
                """, output);
    }

    @Test
    void aFailingCaseSaysWhatDifferedAndExitsOne() throws Exception {
        PolicyFolder.withCases(dir, PolicyFolder.CONVERTS, PolicyFolder.orderCase("ann stays", """
                exits: []
                active:
                  - user: ann
                    campaign: black-friday"""));
        assertEquals(1, run(dir));
        assertEquals("""
                PASS placed-order.cases.yaml: an order converts ann
                FAIL placed-order.cases.yaml: ann stays
                     expected ann to still be in black-friday but ann left it (placed_order), when event evt-1 \
                (Placed Order) arrived, through the rule "An order converts the user"
                2 cases: 1 passed, 1 failed
                """, output);
    }

    @Test
    void anUnreadableCaseFileFails() throws Exception {
        PolicyFolder.withCases(dir, PolicyFolder.CONVERTS);
        PolicyFolder.write(dir, "other.cases.yaml", "name: x\n");
        assertEquals(1, run(dir));
        assertEquals("""
                FAIL other.cases.yaml:1:1: a case file starts with 'cases:' followed by a list of cases, each \
                starting with '- name:'
                PASS placed-order.cases.yaml: an order converts ann
                1 case: 1 passed, 0 failed; 1 case file unreadable
                """, output);
    }

    @Test
    void casesThatTestAnotherConversionEventThanTheirPolicyFail() throws Exception {
        PolicyFolder.withCases(dir, PolicyFolder.CONVERTS.replace("placed_order", "site_active")
                .replace("an order converts ann", "ann converts on site activity"));
        PolicyFolder.write(dir, "site-active.drl", PolicyFolder.POLICY.replace("placed_order", "site_active")
                .replace("An order converts the user", "A visit converts the user"));
        assertEquals(1, run(dir));
        assertEquals("""
                PASS placed-order.cases.yaml: ann converts on site activity
                FAIL placed-order.cases.yaml: no case converts on 'placed_order', the conversion event of \
                placed-order.drl (the cases convert on site_active instead): add a case whose expect.exits lists \
                a user with conversionEvent: placed_order
                1 case: 1 passed, 0 failed; 1 case file not testing its policy's conversion event
                """, output);
    }

    @Test
    void rulesThatDoNotCompileRunNoCase() throws Exception {
        PolicyFolder.withCases(dir, PolicyFolder.CONVERTS);
        PolicyFolder.write(dir, "placed-order.drl", PolicyFolder.POLICY.replace("then", "thn"));
        assertEquals(1, run(dir));
        assertEquals("FAIL the rules do not compile, so no case can run:", output.lines().findFirst().orElseThrow());
    }

    @Test
    void aFolderWithoutCasesFails() throws Exception {
        PolicyFolder.write(dir, "placed-order.drl", PolicyFolder.POLICY);
        assertEquals(1, run(dir));
        assertEquals("FAIL no cases found: put a *.cases.yaml file beside each policy in " + dir + "\n", output);
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertEquals(Commands.USAGE, Commands.run(new String[] {"tset-rules"}, Map.of(), System.out,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }
}
