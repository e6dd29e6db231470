package com.conversionrules.replay;

/**
 * How one enrollment ended within the replayed range, in reality or in a replay: converted on a
 * conversion event at an event's time, or not ({@link #NONE}).
 */
public record Outcome(String conversionEvent, long at, String eventId) {
    public static final Outcome NONE = new Outcome(null, 0, null);

    public boolean converted() {
        return conversionEvent != null;
    }

    /** The same conversion: the same event credited to the same conversion event. */
    boolean same(Outcome other) {
        return converted() == other.converted() && (!converted()
                || (conversionEvent.equals(other.conversionEvent) && java.util.Objects.equals(eventId, other.eventId)));
    }
}
