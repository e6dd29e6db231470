package com.conversionrules.holdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpliftTest {

    /**
     * Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10: the published limits
     * to four decimals, including the examples with a zero count where the Wald interval fails.
     */
    @ParameterizedTest(name = "{0}/{1} against {2}/{3}: {4} to {5}")
    @CsvSource({
        "56, 70, 48, 80, 0.0524, 0.3339",
        "9, 10, 3, 10, 0.1705, 0.8090",
        "6, 7, 2, 7, 0.0582, 0.8062",
        "5, 56, 0, 29, -0.0381, 0.1926",
        "0, 10, 0, 20, -0.1611, 0.2775",
        "10, 10, 0, 20, 0.6791, 1.0000",
    })
    void theIntervalIsNewcombesHybridScoreInterval(long converted1, long enrolled1, long converted2, long enrolled2,
                                                   double low, double high) {
        Uplift uplift = Uplift.of(new Uplift.Group(enrolled1, converted1), new Uplift.Group(enrolled2, converted2));
        assertEquals(low, uplift.low(), 0.00005);
        assertEquals(high, uplift.high(), 0.00005);
    }

    @Test
    void liftIsTheDifferenceOfRatesAndItsShareOfTheHoldoutRate() {
        Uplift uplift = Uplift.of(new Uplift.Group(1_000, 120), new Uplift.Group(100, 8));
        assertEquals(0.12 - 0.08, uplift.absolute(), 1e-12);
        assertEquals(0.5, uplift.relative(), 1e-12);
    }

    @Test
    void aHoldoutWithNoConversionsHasNoRelativeLift() {
        Uplift uplift = Uplift.of(new Uplift.Group(100, 5), new Uplift.Group(10, 0));
        assertEquals(0.05, uplift.absolute(), 1e-12);
        assertNull(uplift.relative());
    }

    @Test
    void aGroupWithNobodyGivesNoLiftAtAll() {
        Uplift uplift = Uplift.of(new Uplift.Group(100, 5), new Uplift.Group(0, 0));
        assertNull(uplift.absolute());
        assertNull(uplift.low());
        assertNull(uplift.high());
        assertEquals(0.05, uplift.treatment().rate(), 1e-12);
    }
}
