package com.conversionrules.holdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HoldoutTest {

    /** Computed outside Java (Python's hashlib) from the documented formula, so any system can agree. */
    @ParameterizedTest(name = "{0} / {1} falls in bucket {2}")
    @CsvSource({
        "black-friday, ann, 3726",
        "black-friday, bob, 9734",
        "winback, ann, 6251",
        "c, u-42, 8175",
    })
    void theBucketIsTheDocumentedHashOfCampaignAndUser(String campaign, String user, int bucket) {
        assertEquals(bucket, Holdout.bucket(campaign, user));
    }

    @Test
    void aUserIsHeldOutWhenTheBucketIsBelowThePercentInHundredths() {
        assertTrue(Holdout.holdsOut("black-friday", "ann", 38), "bucket 3726 < 3800");
        assertFalse(Holdout.holdsOut("black-friday", "ann", 37), "bucket 3726 >= 3700");
        assertFalse(Holdout.holdsOut("black-friday", "ann", 0));
        assertFalse(Holdout.holdsOut("black-friday", "bob", 50), "bucket 9734");
    }

    @Test
    void aPercentHoldsOutAboutThatShareAndEachCampaignDrawsItsOwn() {
        int users = 100_000;
        int heldOut = 0;
        int inBoth = 0;
        for (int u = 0; u < users; u++) {
            boolean first = Holdout.holdsOut("spring-sale", "user-" + u, 10);
            boolean second = Holdout.holdsOut("summer-sale", "user-" + u, 10);
            heldOut += first ? 1 : 0;
            inBoth += first && second ? 1 : 0;
        }
        // The hash is fixed, so these counts are too: 10% give or take sampling noise of 0.1%.
        assertTrue(Math.abs(heldOut - users / 10) < 500, heldOut + " held out of " + users);
        assertTrue(Math.abs(inBoth - users / 100) < 200, inBoth + " held out of both: independent draws give about 1%");
    }
}
