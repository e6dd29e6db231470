package com.conversionrules.http;

import com.conversionrules.campaign.CampaignService;
import com.conversionrules.model.Rejection;
import com.conversionrules.store.ExplainedExit;
import com.conversionrules.store.ReadModel;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What happened in a campaign: conversions over time, and its latest exits with why each user left. */
final class CampaignActivityRoutes {
    static final int MAX_BUCKETS = 1000;
    static final int DEFAULT_EXITS = 20;
    static final int MAX_EXITS = 100;

    /** Bucket sizes, each with the span shown when the caller gives no {@code from}. */
    private enum Bucket {
        HOUR(Duration.ofHours(1), 48), DAY(Duration.ofDays(1), 30);

        final long millis;
        final int defaultCount;

        Bucket(Duration size, int defaultCount) {
            this.millis = size.toMillis();
            this.defaultCount = defaultCount;
        }

        static Bucket fromQuery(String value) {
            if (value == null || value.isEmpty() || value.equals("hour")) {
                return HOUR;
            }
            if (value.equals("day")) {
                return DAY;
            }
            throw Rejection.invalid("bucket must be hour or day, got '" + Fields.abbreviate(value) + "'");
        }

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final CampaignService campaigns;
    private final ReadModel store;
    private final Clock clock;

    CampaignActivityRoutes(CampaignService campaigns, ReadModel store, Clock clock) {
        this.campaigns = campaigns;
        this.store = store;
        this.clock = clock;
    }

    void mount(Router router, Handler<RoutingContext> access) {
        router.get("/v1/campaigns/:id/conversions").handler(access).handler(this::conversions);
        router.get("/v1/campaigns/:id/exits").handler(access).handler(this::exits);
    }

    /**
     * Conversions per UTC hour or day, counted by when each exit was decided. {@code from} is rounded
     * down and {@code to} up to whole buckets, so the first and last buckets are whole periods; without
     * {@code to}, the buckets end with the current one.
     */
    private void conversions(RoutingContext ctx) {
        String id = campaigns.require(Fields.campaignId(ctx)).id();
        Bucket bucket = Bucket.fromQuery(ctx.request().getParam("bucket"));
        Long toParam = Fields.queryTime(ctx, "to");
        Long fromParam = Fields.queryTime(ctx, "from");
        long to = toParam == null ? floor(clock.millis(), bucket.millis) + bucket.millis
                : ceil(toParam, bucket.millis);
        long from = fromParam == null ? to - bucket.defaultCount * bucket.millis : floor(fromParam, bucket.millis);
        if (from >= to) {
            throw Rejection.invalid("from must be before to");
        }
        long count = (to - from) / bucket.millis;
        if (count > MAX_BUCKETS) {
            throw Rejection.invalid("from and to span " + count + " " + bucket.wire() + "s; ask for at most "
                    + MAX_BUCKETS + " buckets" + (bucket == Bucket.HOUR ? " (or use bucket=day)" : ""));
        }
        Replies.json(ctx, store.conversionsOverTime(id, from, bucket.millis, (int) count), 200, counts -> {
            ObjectNode body = Json.MAPPER.createObjectNode()
                    .put("campaignId", id)
                    .put("bucket", bucket.wire())
                    .put("from", Views.time(from))
                    .put("to", Views.time(to));
            ArrayNode buckets = body.putArray("buckets");
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                buckets.addObject().put("start", Views.time(from + i * bucket.millis)).put("conversions", counts[i]);
                total += counts[i];
            }
            body.put("conversions", total);
            return body;
        });
    }

    private void exits(RoutingContext ctx) {
        String id = campaigns.require(Fields.campaignId(ctx)).id();
        int limit = (int) Fields.queryNumber(ctx, "limit", DEFAULT_EXITS, 1, MAX_EXITS);
        Replies.json(ctx, store.latestExits(id, limit), 200,
                latest -> body(id, latest));
    }

    private static ObjectNode body(String campaignId, List<ExplainedExit> latest) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("campaignId", campaignId);
        ArrayNode exits = body.putArray("exits");
        latest.forEach(exit -> exits.add(Views.explainedExit(exit)));
        return body;
    }

    private static long floor(long time, long size) {
        return Math.floorDiv(time, size) * size;
    }

    private static long ceil(long time, long size) {
        return -Math.floorDiv(-time, size) * size;
    }
}
