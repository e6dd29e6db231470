package com.conversionrules.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;

/**
 * Decision tables as Drools reads them: each one becomes DRL, and Drools reports problems against
 * lines of that DRL, which the analyst never sees. This maps them back to the table's rows.
 */
public final class DecisionTables {
    /** Drools writes this comment above each rule it generates, naming the row the rule came from. */
    private static final Pattern RULE_ROW = Pattern.compile("^// rule values at ([A-Z]+)(\\d+)");
    /** Drools names the cell of a table it cannot read: "... in cell A8, ...", "at cell F7". */
    private static final Pattern CELL = Pattern.compile("cell ([A-Z]+)(\\d+)");

    private DecisionTables() {
    }

    /** The DRL Drools generates from the table; a table it cannot read is a problem at the cell it names. */
    public static String toDrl(Path table, String file) throws RulesException {
        InputType type = file.endsWith(".csv") ? InputType.CSV : InputType.XLS;
        try (InputStream in = Files.newInputStream(table)) {
            return new SpreadsheetCompiler().compile(in, type);
        } catch (IOException e) {
            throw new RulesException(List.of(new RuleProblem(file, 0, 0, "cannot read: " + e.getMessage())));
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            Matcher cell = CELL.matcher(message);
            int row = 0;
            int column = 0;
            if (cell.find()) {
                column = columnNumber(cell.group(1));
                row = Integer.parseInt(cell.group(2));
            }
            throw new RulesException(List.of(new RuleProblem(file, row, column,
                    "the decision table cannot be read: " + message)));
        }
    }

    /** The table row a line of the generated DRL came from; 0 when the line is outside every rule. */
    public static int rowOf(String drl, int drlLine) {
        List<String> lines = drl.lines().toList();
        for (int index = Math.min(drlLine, lines.size()) - 1; index >= 0; index--) {
            Matcher row = RULE_ROW.matcher(lines.get(index).strip());
            if (row.find()) {
                return Integer.parseInt(row.group(2));
            }
        }
        return 0;
    }

    /** Spreadsheet column letters to a 1-based number: A is 1, Z is 26, AA is 27. */
    static int columnNumber(String letters) {
        int number = 0;
        for (char letter : letters.toCharArray()) {
            number = number * 26 + (letter - 'A' + 1);
        }
        return number;
    }
}
