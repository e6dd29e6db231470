package com.conversionrules.rules.cases;

import static com.conversionrules.rules.cases.PolicyFolder.orderCase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.rules.RulesLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The case runner says, in plain words, how the rules' behaviour differs from a case. */
class CaseRunnerTest {
    private static final String HOW = "when event evt-1 (Placed Order) arrived, through the rule \""
            + PolicyFolder.ORDER_RULE + "\"";

    @TempDir
    Path dir;

    private List<String> failuresOf(String ruleCase) throws Exception {
        PolicyFolder.withCases(dir, ruleCase);
        CaseRunner runner = new CaseRunner(new RulesLoader(dir).load());
        List<RuleCase> cases = RuleCases.read(dir).cases();
        assertEquals(1, cases.size());
        return runner.run(cases.get(0)).failures();
    }

    @Test
    void aCaseTheRulesBehaveLikePasses() throws Exception {
        assertEquals(List.of(), failuresOf(PolicyFolder.CONVERTS));
    }

    @Test
    void anExpectedExitThatDidNotHappenAndAnExitNobodyExpectedAreBothReported() throws Exception {
        assertEquals(List.of(
                "expected bob to leave black-friday (placed_order) but bob is still active",
                "did not expect ann to leave black-friday but ann left it (placed_order), " + HOW),
                failuresOf(orderCase("bob leaves", """
                        exits:
                          - user: bob
                            campaign: black-friday
                            conversionEvent: placed_order""")));
    }

    @Test
    void aUserExpectedToStayButWhoLeftIsReported() throws Exception {
        assertEquals(List.of("expected ann to still be in black-friday but ann left it (placed_order), " + HOW),
                failuresOf(orderCase("ann stays", """
                        exits: []
                        active:
                          - user: ann
                            campaign: black-friday""")));
    }

    @Test
    void anExitCreditedToAnotherConversionEventIsReported() throws Exception {
        assertEquals(List.of("expected ann to leave black-friday (site_active) but ann left it on placed_order "
                        + "instead, " + HOW),
                failuresOf(orderCase("ann leaves on a visit", """
                        exits:
                          - user: ann
                            campaign: black-friday
                            conversionEvent: site_active""")));
    }

    @Test
    void theRulesThatFiredAreComparedWhenTheCaseListsThem() throws Exception {
        assertEquals(List.of("expected \"Some other rule\" to fire but \"" + PolicyFolder.ORDER_RULE + "\" fired"),
                failuresOf(orderCase("another rule fires", """
                        exits:
                          - user: ann
                            campaign: black-friday
                            conversionEvent: placed_order
                        fired:
                          - Some other rule""")));
        assertEquals(List.of("expected no rule to fire but \"" + PolicyFolder.ORDER_RULE + "\" fired"),
                failuresOf(orderCase("nothing fires", """
                        exits:
                          - user: ann
                            campaign: black-friday
                            conversionEvent: placed_order
                        fired: []""")));
    }

    @Test
    void aRuleThatKeepsTheEnrollmentStillEndsItAsTheServiceDoes() throws Exception {
        // The shard ends an enrollment whose conversion was sent, whatever the rule deleted; a second
        // order then converts no one again.
        PolicyFolder.write(dir, "placed-order.cases.yaml", """
                cases:
                  - name: ann converts once
                    given:
                      campaigns:
                        - id: black-friday
                          conversionEvent: placed_order
                      enrollments:
                        - user: ann
                          campaign: black-friday
                          at: 2026-11-01T10:00:00Z
                    when:
                      - id: evt-1
                        user: ann
                        name: Placed Order
                        time: 2026-11-02T10:00:00Z
                      - id: evt-2
                        user: ann
                        name: Placed Order
                        time: 2026-11-03T10:00:00Z
                    expect:
                      exits:
                        - user: ann
                          campaign: black-friday
                          conversionEvent: placed_order
                      fired:
                        - %s
                """.formatted(PolicyFolder.ORDER_RULE));
        PolicyFolder.write(dir, "placed-order.drl", PolicyFolder.POLICY.replace("    delete( $enrollment );\n", ""));
        CaseRunner runner = new CaseRunner(new RulesLoader(dir).load());
        assertEquals(List.of(), runner.run(RuleCases.read(dir).cases().get(0)).failures());
    }

    @Test
    void aRuleThatDeletesWithoutSendingFailsTheCaseThatExpectsTheUserToStay() throws Exception {
        PolicyFolder.withCases(dir, PolicyFolder.orderCase("ann stays", """
                exits: []
                active:
                  - user: ann
                    campaign: black-friday"""));
        PolicyFolder.write(dir, "placed-order.drl", PolicyFolder.POLICY.replace(
                "    channels[\"sender\"].send( new Conversion( $enrollment, $order ) );\n", ""));
        CaseRunner runner = new CaseRunner(new RulesLoader(dir).load());
        assertEquals(List.of("a rule deleted an enrollment without sending a conversion: the user would stay enrolled "
                + "in the store but never convert; delete( $enrollment ) only together with "
                + "channels[\"sender\"].send( new Conversion( $enrollment, $event ) )"),
                runner.run(RuleCases.read(dir).cases().get(0)).failures());
    }

    @Test
    void aCampaignWaitingForAConversionEventNoPolicyDefinesFailsTheCase() throws Exception {
        assertEquals(List.of("campaign black-friday waits for conversion event 'placed_ordr', which no policy "
                        + "defines; use one of none, placed_order"),
                failuresOf(PolicyFolder.BROWSING_DOES_NOT_CONVERT.replace("conversionEvent: placed_order\n      "
                        + "enrollments", "conversionEvent: placed_ordr\n      enrollments")));
    }

    @Test
    void eachEventFiresOnItsOwnSoTheFirstOrderIsCredited() throws Exception {
        String twoOrders = orderCase("two orders", """
                exits:
                  - user: ann
                    campaign: black-friday
                    conversionEvent: site_active""").replace("      - id: evt-1\n",
                "      - id: evt-1\n        user: ann\n        name: Placed Order\n        time: 2026-11-02T09:00:00Z\n"
                        + "      - id: evt-2\n");
        List<String> failures = failuresOf(twoOrders);
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).contains("when event evt-1 (Placed Order) arrived"), failures.get(0));
    }
}
