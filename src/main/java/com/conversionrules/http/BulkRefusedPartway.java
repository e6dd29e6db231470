package com.conversionrules.http;

import com.conversionrules.engine.EnrollOutcome;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A bulk enrollment refused after some of its chunks were applied: why, and what was applied before.
 * Those enrollments stay: undoing them would make exits the sender must hear about, and sending the
 * whole file again is safe, since users already active are only counted.
 */
final class BulkRefusedPartway extends RuntimeException {
    private final EnrollOutcome applied;
    private final int lines;

    BulkRefusedPartway(Throwable cause, EnrollOutcome applied, int lines) {
        super(cause.getMessage(), cause, false, false);
        this.applied = applied;
        this.lines = lines;
    }

    /** What follows the cause's own detail. */
    String detail() {
        int done = applied.enrolled() + applied.alreadyActive() + applied.refusedReentry() + applied.queued();
        return done + " of the " + lines + " lines were applied before that (enrolled " + applied.enrolled()
                + ", alreadyActive " + applied.alreadyActive() + ", refusedReentry " + applied.refusedReentry()
                + "); sending the whole file again enrolls no one twice, users already active are counted as "
                + "alreadyActive";
    }

    /** The problem's extension members: the same figures a success would have. */
    ObjectNode members() {
        return Views.enrollOutcome(applied).put("lines", lines);
    }
}
