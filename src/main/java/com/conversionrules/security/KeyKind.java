package com.conversionrules.security;

/** What a key may do: send events, or administer campaigns and read everything. */
public enum KeyKind {
    /** Ingestion only: {@code POST /v1/events} and the Segment-compatible routes. */
    WRITE("write"),
    /** Campaigns, enrollments, exits, users, the conversion-event catalogue. */
    ADMIN("admin");

    private final String wire;

    KeyKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
