package com.conversionrules.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReentryTest {
    private static final long ENROLLED = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long LEFT = Instant.parse("2026-11-03T10:00:00Z").toEpochMilli();
    private static final Reentry.Previous BEFORE = new Reentry.Previous(ENROLLED, LEFT);

    @Test
    void theThreeFormsReadAndWriteBack() {
        assertEquals(Reentry.NEVER, Reentry.parse("never"));
        assertEquals(Reentry.ALWAYS, Reentry.parse(" always "));
        Reentry after = Reentry.parse("after:PT720H");
        assertEquals(Duration.ofDays(30), after.after());
        assertEquals("after:P30D", after.toString());
        assertEquals("after:P1DT12H", Reentry.parse("after:P1DT12H").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "sometimes     | 'sometimes' is not a re-entry rule: use \"never\", \"always\" or \"after:\"",
        "after:30 days | 'after:30 days' is not a re-entry rule",
        "after:P1M     | (months and years are refused",
        "after:PT0S    | 'after:PT0S' waits for no time",
        "after:-P1D    | 'after:-P1D' waits for no time",
        "after:P4000D  | 'after:P4000D' is longer than P3650D",
        "Never         | 'Never' is not a re-entry rule",
    })
    void aBadFormSaysWhatToSend(String text, String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Reentry.parse(text));
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }

    @Test
    void alwaysLetsAnyoneBackAndNeverNobody() {
        assertEquals(Optional.empty(), Reentry.ALWAYS.refusal(BEFORE, LEFT + 1));
        assertEquals(Optional.of("was in the campaign before (enrolled 2026-11-01T10:00:00Z); this campaign lets each "
                + "user enter once (reentry: never)"), Reentry.NEVER.refusal(BEFORE, LEFT + Duration.ofDays(999).toMillis()));
    }

    @Test
    void afterCountsFromLeavingAndLetsTheUserInOnTheInstantItEnds() {
        Reentry after = Reentry.parse("after:P30D");
        long from = LEFT + Duration.ofDays(30).toMillis();
        assertEquals(Optional.of("left the campaign 2026-11-03T10:00:00Z; this campaign lets a user enter again P30D "
                + "after leaving (reentry: after:P30D), from 2026-12-03T10:00:00Z"), after.refusal(BEFORE, from - 1));
        assertEquals(Optional.empty(), after.refusal(BEFORE, from));
    }
}
