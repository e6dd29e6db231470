package com.conversionrules.crash;

import com.conversionrules.crash.DeliveredExits.Delivery;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compares what the service holds after a crash run with what the acknowledged input implies: the
 * exits on the feed against the workload's, each exit once; every exit received by the webhook with
 * its own id; the stats; and, for a sample of users, their view stored once and their enrollments.
 */
final class CrashCheck {
    /** Users checked one by one: every seventh, or about ten thousand of a larger workload. */
    private static final int SAMPLED_USERS = 10_000;
    private static final int READERS = 4;

    private final CrashWorkload workload;
    private final PatientClient client;

    CrashCheck(CrashWorkload workload, PatientClient client) {
        this.workload = workload;
        this.client = client;
    }

    /** One exit on the feed. */
    record FeedExit(String id, String campaignId, String userId, String eventId, boolean delivered) {
        String key() {
            return campaignId + "/" + userId;
        }
    }

    /** What the checks found; every count but the redeliveries must be 0, and every list empty. */
    record Findings(int feedExits, int deliveries, Set<String> missing, Set<String> unexpected, int duplicatesOnFeed,
            int undelivered, int unreceived, int secondIds, int phantoms, int wrongWebhookIds, int redeliveries,
            List<String> stats, int sampleStride, int sampledUsers, List<String> users) {
        /** Acknowledged input the service does not reflect: exits missing or never received, users' facts missing. */
        int lost() {
            return missing.size() + unreceived + users.size();
        }

        /** Exits the service made more than once, on the feed or with a second id at the webhook. */
        int duplicates() {
            return duplicatesOnFeed + secondIds;
        }

        boolean clean() {
            return lost() == 0 && duplicates() == 0 && unexpected.isEmpty() && undelivered == 0 && phantoms == 0
                    && wrongWebhookIds == 0 && stats.isEmpty();
        }
    }

    /** Waits up to {@code patience} for every exit to be delivered, then checks everything. */
    Findings check(DeliveredExits receiver, Duration patience) throws Exception {
        List<FeedExit> feed = awaitDelivered(patience);
        List<Delivery> deliveries = receiver.deliveries();

        Map<String, Integer> onFeed = new HashMap<>();
        Set<String> feedIds = new HashSet<>();
        Set<String> actual = new HashSet<>();
        int duplicates = 0;
        int undelivered = 0;
        for (FeedExit exit : feed) {
            boolean secondForUser = onFeed.merge(exit.key(), 1, Integer::sum) > 1;
            boolean secondForId = !feedIds.add(exit.id());
            if (secondForUser || secondForId) {
                duplicates++;
            }
            actual.add(exit.key() + "/" + exit.eventId());
            if (!exit.delivered()) {
                undelivered++;
            }
        }
        Set<String> expected = workload.expectedExits();
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);

        Map<String, Set<String>> idsByKey = new HashMap<>();
        Set<String> received = new HashSet<>();
        int wrongIds = 0;
        for (Delivery delivery : deliveries) {
            if (!delivery.exitId().equals(delivery.webhookId())) {
                wrongIds++;
            }
            received.add(delivery.exitId());
            idsByKey.computeIfAbsent(delivery.key(), key -> new HashSet<>()).add(delivery.exitId());
        }
        int unreceived = 0;
        int secondIds = 0;
        for (FeedExit exit : feed) {
            if (!received.contains(exit.id())) {
                unreceived++;
            } else if (idsByKey.get(exit.key()).size() > 1) {
                secondIds++;
            }
        }
        Set<String> phantoms = new HashSet<>(received);
        phantoms.removeAll(feedIds);

        int stride = Math.max(7, workload.users() / SAMPLED_USERS);
        return new Findings(feed.size(), deliveries.size(), missing, unexpected, duplicates, undelivered, unreceived,
                secondIds, phantoms.size(), wrongIds, deliveries.size() - received.size(), stats(), stride,
                (workload.users() + stride - 1) / stride, users(stride));
    }

    /**
     * The feed, once every exit on it is delivered (the store's count of waiting deliveries at 0
     * first, so a large feed is not read over and over); as it stands at the deadline otherwise.
     */
    private List<FeedExit> awaitDelivered(Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            boolean late = System.nanoTime() > deadline;
            if (late || waiting() == 0) {
                List<FeedExit> feed = feed();
                if (late || feed.stream().allMatch(FeedExit::delivered)) {
                    return feed;
                }
            }
            Thread.sleep(100);
        }
    }

    private long waiting() throws IOException, InterruptedException {
        long waiting = 0;
        for (JsonNode endpoint : client.get("/v1/webhook-endpoints").path("endpoints")) {
            waiting += endpoint.path("waiting").asLong();
        }
        return waiting;
    }

    private List<FeedExit> feed() throws IOException, InterruptedException {
        List<FeedExit> exits = new ArrayList<>();
        String after = "0";
        while (true) {
            JsonNode page = client.get("/v1/exits?limit=1000&after=" + after);
            if (page.path("exits").isEmpty()) {
                return exits;
            }
            for (JsonNode exit : page.path("exits")) {
                exits.add(new FeedExit(exit.path("id").asText(), exit.path("campaignId").asText(),
                        exit.path("userId").asText(), exit.path("eventId").asText(),
                        "delivered".equals(exit.path("deliveries").path("default").path("state").asText())));
            }
            after = page.path("next").asText();
        }
    }

    /** Each campaign's stats against the workload: everyone enrolled, the converters converted, the rest active. */
    private List<String> stats() throws IOException, InterruptedException {
        List<String> wrong = new ArrayList<>();
        for (String campaign : workload.campaignIds()) {
            JsonNode stats = client.get("/v1/campaigns/" + campaign + "/stats");
            int converted = workload.converted(campaign);
            compare(wrong, campaign + " enrolled", workload.users(), stats.path("enrolled").asLong());
            compare(wrong, campaign + " converted", converted, stats.path("converted").asLong());
            compare(wrong, campaign + " active", workload.users() - converted, stats.path("active").asLong());
        }
        return wrong;
    }

    private static void compare(List<String> wrong, String what, long expected, long actual) {
        if (expected != actual) {
            wrong.add(what + ": expected " + expected + ", was " + actual);
        }
    }

    /** Every {@code stride}-th user: their view stored once, each enrollment active or converted as its events say. */
    private List<String> users(int stride) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int reader = 0; reader < READERS; reader++) {
                int first = reader * stride;
                parts.add(readers.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int u = first; u < workload.users(); u += READERS * stride) {
                        checkUser(u, wrong);
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> part : parts) {
                wrong.addAll(part.get());
            }
            Collections.sort(wrong);
            return wrong;
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading users back failed", e.getCause());
        } finally {
            readers.shutdownNow();
        }
    }

    private void checkUser(int u, List<String> wrong) throws IOException, InterruptedException {
        long views = client.get("/v1/users/u" + u + "/performed?event=Viewed%20Product").path("count").asLong();
        if (views != 1) {
            wrong.add("u" + u + " viewed " + views + " times, not once");
        }
        for (String campaign : workload.campaignIds()) {
            String expected = CrashWorkload.converts(campaign, u) ? "converted" : "active";
            JsonNode enrollment = client.getOrNull("/v1/campaigns/" + campaign + "/enrollments/u" + u);
            String status = enrollment == null ? "not enrolled" : enrollment.path("status").asText();
            if (!expected.equals(status)) {
                wrong.add("u" + u + " in " + campaign + " is " + status + ", not " + expected);
            }
        }
    }
}
