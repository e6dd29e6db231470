package com.conversionrules.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.rules.check.RulesGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which event names the shipped rules read, and what a name they do not read was meant to be. */
class EventNamesReadTest {
    private static EventNamesRead shipped;

    @BeforeAll
    static void loadShippedRules() throws Exception {
        shipped = new RulesLoader(Path.of("rules")).load().eventNames();
    }

    @Test
    void theNamesOfEveryPolicyAreReadWithTheirRules() {
        for (String name : List.of("Placed Order", "Order Completed", "Active on Site", "Page Viewed", "Opened Email",
                "Email Opened", "Clicked Email", "Email Link Clicked", "Clicked SMS", "Viewed Product", "Checkout Started")) {
            assertTrue(shipped.reads(name), name);
        }
        List<String> files = shipped.readers("Placed Order").stream().map(EventNamesRead.Reader::file).sorted().toList();
        assertEquals(List.of("high-value-order.drl", "placed-order.drl"), files);
        EventNamesRead.Reader table = shipped.readers("Viewed Product").get(0);
        assertEquals(new EventNamesRead.Reader("Viewing a product shows shopping intent", "shopping-intent.drl.csv",
                "shopping_intent"), table);
        assertEquals(List.of(), shipped.anyName());
    }

    @Test
    void aNameInAnotherCaseATypoOrAConversionEventIdIsNotReadAndGetsASuggestion() {
        assertFalse(shipped.reads("Placed order"));
        assertEquals(Optional.of("Placed Order"), shipped.suggestion("Placed order"));
        assertEquals(Optional.of("Placed Order"), shipped.suggestion("placed_order"));
        assertEquals(Optional.of("Placed Order"), shipped.suggestion("Plcaed Order"));
        assertEquals(Optional.of("Active on Site"), shipped.suggestion("site_active"));
        assertEquals(Optional.of("Clicked SMS"), shipped.suggestion("clicked_sms"));
        assertEquals(Optional.empty(), shipped.suggestion("Newsletter Signup"));
        assertEquals(Optional.empty(), shipped.suggestion("x"));
        assertEquals(Optional.empty(), shipped.suggestion("Placed Order"), "a name read needs no suggestion");
    }

    /** Rules read back compiled at the next start keep what their source said about event names. */
    @Test
    void theNamesReadSurviveTheCompiledRulesCache(@TempDir Path dir) throws Exception {
        Path rules = ShippedRules.copyTo(dir.resolve("rules"));
        RulesGate.load(rules, new CompiledRulesCache(dir.resolve("data")));
        EventNamesRead readBack = RulesGate.load(rules, new CompiledRulesCache(dir.resolve("data"))).eventNames();
        assertEquals(shipped.byName(), readBack.byName());
        assertEquals(Optional.of("Placed Order"), readBack.suggestion("placed_order"));
    }

    @Test
    void aRuleThatMatchesEventsOfAnyNameReadsEveryName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("big-spender.drl"), """
                package policies;
                import com.conversionrules.model.Campaign;
                import com.conversionrules.model.Conversion;
                import com.conversionrules.model.Enrollment;
                import com.conversionrules.model.UserEvent;
                rule "Any event worth 500 converts"
                    @conversionEvent("big_spender")
                when
                    $e : UserEvent( value >= 500 )
                    $n : Enrollment( conversionEvent == "big_spender", userId == $e.userId, inConversionWindow( $e ) )
                    Campaign( live, id == $n.campaignId )
                then
                    delete( $n );
                    channels["sender"].send( new Conversion( $n, $e ) );
                end
                """);
        EventNamesRead read = new RulesLoader(dir).load().eventNames();
        assertTrue(read.reads("Anything at all"));
        assertEquals(Map.of(), read.byName());
        assertEquals("Any event worth 500 converts", read.readers("Anything at all").get(0).rule());
    }
}
