package com.conversionrules.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Something a user did: the fact a policy matches against enrollments.
 * Times are epoch milliseconds so rules compare them with plain operators.
 */
public final class UserEvent {
    /** Where an event carries its order value: {@code value}, or {@code total}/{@code revenue} as Segment sends them. */
    public static final List<String> VALUE_PROPERTIES = List.of("value", "total", "revenue");

    private final String id;
    private final String userId;
    private final String name;
    private final long time;
    private final String campaignId;
    private final Map<String, Object> properties;
    private final String propertiesJson;
    private final double value;

    public UserEvent(String id, String userId, String name, long time, String campaignId,
                     Map<String, Object> properties, double value) {
        this(id, userId, name, time, campaignId, properties, null, value);
    }

    /**
     * @param propertiesJson the properties as received, written to the store as they are: what a rule
     *                       does to the map in a session can never change what is stored or break it
     */
    public UserEvent(String id, String userId, String name, long time, String campaignId,
                     Map<String, Object> properties, String propertiesJson, double value) {
        this.id = id;
        this.userId = userId;
        this.name = name;
        this.time = time;
        this.campaignId = campaignId;
        this.properties = properties == null || properties.isEmpty() ? Map.of() : Collections.unmodifiableMap(properties);
        this.propertiesJson = propertiesJson;
        this.value = value;
    }

    /**
     * The order value among properties as a map: the first of {@link #VALUE_PROPERTIES} that holds a
     * number or a numeric string; 0 when none does. (Events from the API were checked on the way in.)
     */
    public static double orderValue(Map<String, Object> properties) {
        for (String key : VALUE_PROPERTIES) {
            Object value = properties.get(key);
            if (value instanceof Number number) {
                return number.doubleValue();
            }
            if (value instanceof String text) {
                try {
                    return Double.parseDouble(text.strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    public String getId() { return id; }
    public String getUserId() { return userId; }
    public String getName() { return name; }
    /** When the user did it, in epoch milliseconds. */
    public long getTime() { return time; }
    /** The campaign an engagement event (open, click) belongs to; null when it names none. */
    public String getCampaignId() { return campaignId; }
    /** The properties sent with the event; rules read them, and cannot change them. */
    public Map<String, Object> getProperties() { return properties; }
    /**
     * The properties as JSON, as received; null when the event was built without it (tests, cases).
     * Not a bean getter, so rules do not see it as a field.
     */
    public String propertiesJson() { return propertiesJson; }
    /** The order value the event carries ({@code value}, {@code total} or {@code revenue}); 0 when none. */
    public double getValue() { return value; }

    @Override
    public String toString() {
        return "UserEvent[" + id + " " + name + " by " + userId + "]";
    }
}
