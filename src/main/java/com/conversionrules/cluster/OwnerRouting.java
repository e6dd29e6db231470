package com.conversionrules.cluster;

import com.conversionrules.http.ClusterRouting;
import com.conversionrules.http.Fields;
import com.conversionrules.http.Json;
import com.conversionrules.model.Rejection;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Per-user reads in a cluster: Kafka Streams says which instance evaluates the user's partition
 * (interactive queries' metadata); this instance answers if it is that one, else passes the request
 * to it with the admin key and relays its answer as it is. A request is passed on once at most: an
 * owner that moved meanwhile gets a 503 to retry.
 */
final class OwnerRouting implements ClusterRouting {
    private static final StringSerializer KEYS = new StringSerializer();

    private final ClusterNode node;
    private final ClusterReads reads;

    OwnerRouting(ClusterNode node, ClusterReads reads) {
        this.node = node;
        this.reads = reads;
    }

    @Override
    public void toOwner(RoutingContext ctx) {
        String userId = Fields.checkId("userId", ctx.pathParam("userId"));
        KafkaStreams streams = node.streams();
        KeyQueryMetadata owner = streams == null ? KeyQueryMetadata.NOT_AVAILABLE
                : streams.queryMetadataForKey(PartitionState.HISTORY, userId, KEYS);
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) || owner.activeHost() == null) {
            throw moving();
        }
        if (owner.activeHost().equals(node.self())) {
            ctx.next();
            return;
        }
        if (ctx.request().getHeader(Peers.FORWARDED_BY) != null) {
            // The instance that passed it on thought this one owns the user: ownership is moving.
            throw moving();
        }
        relay(ctx, owner.activeHost());
    }

    private void relay(RoutingContext ctx, HostInfo owner) {
        Future.fromCompletionStage(node.peers().get(owner, ctx.request().uri()), ctx.vertx().getOrCreateContext())
                .onComplete(answer -> {
                    if (answer.failed()) {
                        ctx.fail(Rejection.unavailable("the instance that owns this user (" + owner.host() + ":"
                                + owner.port() + ") did not answer: " + answer.cause().getMessage() + "; retry in a "
                                + "moment"));
                        return;
                    }
                    ctx.response().setStatusCode(answer.result().statusCode());
                    answer.result().headers().firstValue("content-type")
                            .ifPresent(type -> ctx.response().putHeader("content-type", type));
                    ctx.response().end(Buffer.buffer(answer.result().body()));
                });
    }

    private static Rejection moving() {
        return Rejection.unavailable("the user's partition is moving between instances (a member joined or left); "
                + "retry in a moment");
    }

    /** This instance's share of a campaign's counts: the partitions it evaluates now, each on its own. */
    @Override
    public void mount(Router router, Handler<RoutingContext> admin) {
        router.get("/v1/cluster/campaigns/:id/counts").handler(admin).handler(ctx -> {
            String campaignId = Fields.checkId("campaignId", ctx.pathParam("id"));
            Future.fromCompletionStage(reads.localCounts(campaignId), ctx.vertx().getOrCreateContext())
                    .onComplete(counted -> {
                        if (counted.failed()) {
                            ctx.fail(counted.cause());
                            return;
                        }
                        ObjectNode body = Json.MAPPER.createObjectNode();
                        ObjectNode partitions = body.putObject("partitions");
                        for (Map.Entry<Integer, CampaignCounts> entry : counted.result().entrySet()) {
                            partitions.set(Integer.toString(entry.getKey()), Wire.tree(entry.getValue().toJson()));
                        }
                        Json.reply(ctx, 200, body);
                    });
        });
    }
}
