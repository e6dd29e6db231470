package com.conversionrules.crash;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the crash test and the crash benchmark send, and what it must leave behind. Users {@code u0}
 * to {@code u(users-1)} are enrolled in two live campaigns, {@code orders} (converts on a placed
 * order) and {@code visits} (on activity on the site). In rounds of a hundred users each user views
 * a product, every second one places an order and every third one is active on the site; so every
 * second user must exit {@code orders} once, every third {@code visits}, and everyone's view be
 * stored once.
 *
 * <p>An {@code orders} audience enrolled up front by one bulk NDJSON request (the benchmark's
 * million active enrollments) is preloaded; otherwise each round enrolls its users in both
 * campaigns before sending their events.
 */
final class CrashWorkload {
    static final int PER_ROUND = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One bulk request takes at most 2,000,000 lines. */
    private static final int BULK_LINES = 2_000_000;
    private static final String ENROLLED_AT = "2026-01-01T00:00:00Z";

    private final int users;
    private final boolean ordersPreloaded;

    CrashWorkload(int users, boolean ordersPreloaded) {
        if (users <= 0 || users % PER_ROUND != 0) {
            throw new IllegalArgumentException("users must be a positive multiple of " + PER_ROUND + ": " + users);
        }
        this.users = users;
        this.ordersPreloaded = ordersPreloaded;
    }

    int users() {
        return users;
    }

    int rounds() {
        return users / PER_ROUND;
    }

    /** Requests in every round (the same count in each). */
    int callsPerRound() {
        return round(0).size();
    }

    /** The campaigns, created and launched before anything else. */
    List<Call> campaigns() {
        return List.of(Call.json("POST", "/v1/campaigns",
                        "{\"id\":\"orders\",\"name\":\"Orders\",\"type\":\"multi_touch\",\"conversionEvent\":\"placed_order\"}"),
                Call.json("POST", "/v1/campaigns/orders/launch", ""),
                Call.json("POST", "/v1/campaigns",
                        "{\"id\":\"visits\",\"name\":\"Visits\",\"type\":\"automation\",\"conversionEvent\":\"site_active\"}"),
                Call.json("POST", "/v1/campaigns/visits/launch", ""));
    }

    /** The bulk NDJSON requests that enroll every user in {@code orders} before the clients start, if preloaded. */
    List<Call> preload() {
        List<Call> calls = new ArrayList<>();
        for (int from = 0; ordersPreloaded && from < users; from += BULK_LINES) {
            StringBuilder lines = new StringBuilder();
            for (int u = from; u < Math.min(users, from + BULK_LINES); u++) {
                lines.append("{\"userId\":\"u").append(u).append("\",\"enrolledAt\":\"").append(ENROLLED_AT).append("\"}\n");
            }
            calls.add(Call.audience("orders", lines.toString(), Math.min(users, from + BULK_LINES) - from));
        }
        return calls;
    }

    /** One round per hundred users: enroll them in the campaigns not preloaded, then send their events. */
    List<Call> round(int round) {
        List<Call> calls = new ArrayList<>();
        for (String campaign : ordersPreloaded ? new String[] {"visits"} : new String[] {"orders", "visits"}) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode enrollments = body.putArray("enrollments");
            for (int u = round * PER_ROUND; u < (round + 1) * PER_ROUND; u++) {
                enrollments.addObject().put("userId", "u" + u).put("enrolledAt", ENROLLED_AT);
            }
            calls.add(Call.enrollments(campaign, body.toString(), PER_ROUND));
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        for (int u = round * PER_ROUND; u < (round + 1) * PER_ROUND; u++) {
            events.add(event("p" + u, u, "Viewed Product"));
            if (converts("orders", u)) {
                events.add(event("o" + u, u, "Placed Order"));
            }
            if (converts("visits", u)) {
                events.add(event("v" + u, u, "Active on Site"));
            }
        }
        calls.add(Call.events(body.toString(), events.size()));
        return calls;
    }

    private static ObjectNode event(String id, int user, String name) {
        return JSON.createObjectNode().put("id", id).put("userId", "u" + user).put("name", name)
                .put("time", "2026-06-01T00:00:00Z");
    }

    List<String> campaignIds() {
        return List.of("orders", "visits");
    }

    /** Whether user {@code u} sends the event that converts {@code campaign}. */
    static boolean converts(String campaign, int user) {
        return campaign.equals("orders") ? user % 2 == 0 : user % 3 == 0;
    }

    /** How many of the users convert in {@code campaign}. */
    int converted(String campaign) {
        return campaign.equals("orders") ? (users + 1) / 2 : (users + 2) / 3;
    }

    /** Every exit the workload must make, as campaign/user/event. */
    Set<String> expectedExits() {
        Set<String> exits = new TreeSet<>();
        for (int u = 0; u < users; u++) {
            for (String campaign : campaignIds()) {
                if (converts(campaign, u)) {
                    exits.add(campaign + "/u" + u + "/" + campaign.charAt(0) + u);
                }
            }
        }
        return exits;
    }
}
