package com.conversionrules.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.conversionrules.model.ConversionTerms;
import com.conversionrules.model.Enrollment;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The open-addressing table of a campaign's enrollments behaves like a map from user id. */
class EnrollmentTableTest {

    @Test
    void aUserIsInTheTableOnceAndCanBeFoundReplacedAndTakenOut() {
        EnrollmentTable table = new EnrollmentTable();
        Enrollment ann = new Enrollment("c", "ann", 1);
        assertTrue(table.add(ann));
        assertFalse(table.add(new Enrollment("c", "ann", 2)), "a second enrollment of ann is refused");
        assertSame(ann, table.get("ann"));
        Enrollment moved = ann.under(new ConversionTerms("placed_order", null));
        table.replace(moved);
        assertSame(moved, table.get("ann"));
        assertThrows(IllegalArgumentException.class, () -> table.replace(new Enrollment("c", "bob", 1)));
        assertSame(moved, table.remove("ann"));
        assertNull(table.remove("ann"));
        assertNull(table.get("ann"));
        assertEquals(0, table.size());
    }

    /**
     * Random adds and removes over a small id space, so probe runs collide, wrap around the end of
     * the table and get shifted back on removal; growth and shrinking happen along the way.
     */
    @Test
    void randomAddsAndRemovesAgreeWithAHashMap() {
        SplittableRandom random = new SplittableRandom(42);
        EnrollmentTable table = new EnrollmentTable();
        Map<String, Enrollment> expected = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Phases of growth and of shrinking, so the table resizes both ways.
            boolean growing = (step / 20_000) % 2 == 0;
            String user = "u" + random.nextInt(5_000);
            if (random.nextInt(10) < (growing ? 7 : 3)) {
                Enrollment enrollment = new Enrollment("c", user, step);
                assertEquals(!expected.containsKey(user), table.add(enrollment), "add " + user);
                expected.putIfAbsent(user, enrollment);
            } else {
                assertSame(expected.remove(user), table.remove(user), "remove " + user);
            }
            assertEquals(expected.size(), table.size());
            if (step % 10_000 == 0) {
                expected.forEach((id, enrollment) -> assertSame(enrollment, table.get(id), "get " + id));
                Map<String, Enrollment> seen = new HashMap<>();
                table.forEach(enrollment -> seen.put(enrollment.getUserId(), enrollment));
                assertEquals(expected, seen);
            }
        }
    }
}
