package com.conversionrules.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FieldsIdTest {
    /** The rule as documented: the hand-written check must agree with it on every character. */
    private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9._:@+=-]+");

    @Test
    void everyCharacterIsJudgedAsTheDocumentedPatternJudgesIt() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String id = "a" + c + "b";
            assertEquals(DOCUMENTED.matcher(id).matches(), Fields.isId(id), () -> "char " + (int) id.charAt(1));
        }
    }

    @Test
    void emptyAndTooLongAreNotIds() {
        assertFalse(Fields.isId(""));
        assertTrue(Fields.isId("u".repeat(Fields.MAX_ID_LENGTH)));
        assertFalse(Fields.isId("u".repeat(Fields.MAX_ID_LENGTH + 1)));
    }
}
