package com.conversionrules.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rules folder that cannot be used is refused with every problem, located in the analyst's file. */
class RulesLoaderTest {
    private static final String HEADER = """
            package policies;
            import com.conversionrules.model.Campaign;
            import com.conversionrules.model.Conversion;
            import com.conversionrules.model.Enrollment;
            import com.conversionrules.model.UserEvent;
            """;

    @TempDir
    Path dir;

    private static String policy(String id, String eventName, String constraint) {
        return HEADER + """
                rule "%1$s converts"
                    @conversionEvent("%1$s")
                    @label("Label of %1$s")
                when
                    $e : UserEvent( name == "%2$s"%3$s )
                    $n : Enrollment( conversionEvent == "%1$s", userId == $e.userId, enrolledAt <= $e.time )
                    Campaign( live, id == $n.campaignId )
                then
                    delete( $n );
                    channels["sender"].send( new Conversion( $n, $e ) );
                end
                """.formatted(id, eventName, constraint);
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(dir.resolve(file).getParent());
        Files.writeString(dir.resolve(file), text);
    }

    @Test
    void aNewFileWithMetadataIsANewConversionEvent() throws Exception {
        write("wishlist.drl", policy("added_to_wishlist", "Added to Wishlist", ""));
        LoadedRules rules = new RulesLoader(dir).load();
        assertEquals(List.of("none", "added_to_wishlist"), rules.conversionEvents().ids());
        ConversionEventDefinition definition = rules.conversionEvents().find("added_to_wishlist").orElseThrow();
        assertEquals("Label of added_to_wishlist", definition.label());
        assertEquals("wishlist.drl", definition.file());
    }

    @Test
    void everyCompileErrorIsReportedWithItsFileAndLine() throws IOException {
        write("good.drl", policy("good", "Good", ""));
        write("broken.drl", policy("broken", "Broken", "").replace("then", "thn"));
        write("nested/unknown-field.drl", policy("unknown", "Unknown", ", colour == \"red\""));
        RulesException error = assertThrows(RulesException.class, () -> new RulesLoader(dir).load());
        List<String> files = error.problems().stream().map(RuleProblem::file).distinct().sorted().toList();
        assertEquals(List.of("broken.drl", "nested/unknown-field.drl"), files);
        for (RuleProblem problem : error.problems()) {
            assertTrue(problem.line() > 0, "a line for " + problem);
            assertTrue(problem.toString().startsWith(problem.file() + ":" + problem.line() + ":"), problem.toString());
            assertTrue(problem.toString().contains(": error: "), problem.toString());
        }
        assertTrue(error.getMessage().contains("colour"), error.getMessage());
    }

    @Test
    void twoFilesClaimingOneConversionEventAreRefused() throws IOException {
        write("a.drl", policy("same", "A", ""));
        write("b.drl", policy("same", "B", "").replace("rule \"same converts\"", "rule \"same converts too\""));
        RulesException error = assertThrows(RulesException.class, () -> new RulesLoader(dir).load());
        assertEquals(1, error.problems().size());
        assertEquals("b.drl: error: conversion event 'same' is already defined in a.drl; each conversion event lives in one file",
                error.problems().get(0).toString());
    }

    @Test
    void noneIsReserved() throws IOException {
        write("none.drl", policy("none", "Anything", ""));
        RulesException error = assertThrows(RulesException.class, () -> new RulesLoader(dir).load());
        assertEquals("none.drl: error: 'none' is reserved: it means no conversion event", error.problems().get(0).toString());
    }

    @Test
    void aDecisionTableIsAPolicyAndItsErrorsPointAtItsRows() throws Exception {
        String table = Files.readString(Path.of("rules", "shopping-intent.drl.csv"));
        write("intent.drl.csv", table);
        write("ignored.csv", table.replace("shopping_intent", "ignored"));
        LoadedRules rules = new RulesLoader(dir).load();
        assertEquals(List.of("none", "shopping_intent"), rules.conversionEvents().ids());
        assertEquals("intent.drl.csv", rules.conversionEvents().find("shopping_intent").orElseThrow().file());

        write("intent.drl.csv", table.replace("Adding to the cart shows shopping intent",
                "Viewing a product shows shopping intent"));
        RulesException error = assertThrows(RulesException.class, () -> new RulesLoader(dir).load());
        assertEquals("Duplicate rule name: Viewing a product shows shopping intent", error.problems().get(0).message());
        for (RuleProblem problem : error.problems()) {
            assertEquals("intent.drl.csv", problem.file());
            assertEquals(12, problem.line(), "the row that repeats a rule name: " + error.getMessage());
        }
    }

    /** The shipped shopping-intent table, cut to two rows, as a spreadsheet. */
    private void writeSpreadsheet(String file, String secondRuleName) throws IOException {
        String[][] rows = {
            {"RuleSet", "policies"},
            {"Import", "com.conversionrules.model.Campaign, com.conversionrules.model.Conversion, "
                    + "com.conversionrules.model.Enrollment, com.conversionrules.model.UserEvent"},
            {},
            {"RuleTable Intent"},
            {"NAME", "CONDITION", "CONDITION", "ACTION", "METADATA"},
            {"", "$event : UserEvent"},
            {"", "name == \"$param\"", "$enrollment : Enrollment( conversionEvent == \"$param\", "
                    + "userId == $event.userId, inConversionWindow( $event ) ) Campaign( live, id == $enrollment.campaignId )",
                "delete( $enrollment ); channels[\"sender\"].send( new Conversion( $enrollment, $event ) );",
                "conversionEvent(\"$param\")"},
            {"Rule", "Event name", "Converts campaigns waiting for", "Leaves", "Conversion event"},
            {"Viewing a product shows intent", "Viewed Product", "shopping_intent", "X", "shopping_intent"},
            {secondRuleName, "Added to Cart", "shopping_intent", "X", "shopping_intent"},
        };
        try (XSSFWorkbook workbook = new XSSFWorkbook();
             OutputStream out = Files.newOutputStream(dir.resolve(file))) {
            Sheet sheet = workbook.createSheet("Intent");
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            workbook.write(out);
        }
    }

    @Test
    void aSpreadsheetIsAPolicyAndItsErrorsPointAtItsRows() throws Exception {
        writeSpreadsheet("intent.drl.xlsx", "Adding to the cart shows intent");
        LoadedRules rules = new RulesLoader(dir).load();
        assertEquals(List.of("none", "shopping_intent"), rules.conversionEvents().ids());
        assertEquals(2, rules.conversionEvents().find("shopping_intent").orElseThrow().rules().size());

        writeSpreadsheet("intent.drl.xlsx", "Viewing a product shows intent");
        RulesException error = assertThrows(RulesException.class, () -> new RulesLoader(dir).load());
        assertEquals("intent.drl.xlsx:10:1: error: Duplicate rule name: Viewing a product shows intent",
                error.problems().get(0).toString());
    }

    @Test
    void aDecisionTableDroolsCannotReadIsRefusedAtItsCell() throws IOException {
        write("broken.drl.csv", "\"RuleSet\",\"policies\"\n\"RuleTable Broken\"\n\"NAME\",\"CONDITION\"\n"
                + ",\"$e : UserEvent\"\n,\"name == \"\"$param\"\"\"\n\"Rule\",\"Event\"\n\"Stray\",,\"text\"\n");
        RulesException error = assertThrows(RulesException.class, () -> new RulesLoader(dir).load());
        assertEquals("broken.drl.csv:7:3: error: the decision table cannot be read: Code description in cell C7 does not have "
                + "an 'ACTION' or 'CONDITION' column header.", error.getMessage());
    }

    @Test
    void aMissingOrEmptyFolderIsRefused() {
        RulesException missing = assertThrows(RulesException.class, () -> new RulesLoader(dir.resolve("nope")).load());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        RulesException empty = assertThrows(RulesException.class, () -> new RulesLoader(dir).load());
        assertTrue(empty.getMessage().contains("no .drl policy files"), empty.getMessage());
    }
}
