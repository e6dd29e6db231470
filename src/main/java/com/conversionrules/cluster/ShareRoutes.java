package com.conversionrules.cluster;

import com.conversionrules.http.Fields;
import com.conversionrules.http.Json;
import com.conversionrules.http.Replies;
import com.conversionrules.http.Views;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The routes the instances of a cluster call on each other for their share of a cluster-wide
 * figure, which the asking instance adds up ({@link ClusterReads}).
 */
final class ShareRoutes {
    private final ClusterReads reads;

    ShareRoutes(ClusterReads reads) {
        this.reads = reads;
    }

    void mount(Router router, Handler<RoutingContext> admin) {
        router.get("/v1/cluster/campaigns/:id/counts").handler(admin).handler(ctx -> {
            String campaignId = Fields.checkId("campaignId", ctx.pathParam("id"));
            Replies.json(ctx, reads.localCounts(campaignId), 200, ShareRoutes::counts);
        });
        router.get("/v1/cluster/webhook-endpoints").handler(admin).handler(ctx ->
                Replies.json(ctx, reads.localEndpoints(), 200, Views::endpoints));
    }

    /** A campaign's counts in each partition this instance evaluates now, each on its own. */
    private static ObjectNode counts(Map<Integer, CampaignCounts> byPartition) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode partitions = body.putObject("partitions");
        for (Map.Entry<Integer, CampaignCounts> entry : byPartition.entrySet()) {
            partitions.set(Integer.toString(entry.getKey()), Wire.tree(entry.getValue().toJson()));
        }
        return body;
    }
}
