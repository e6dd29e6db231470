package com.conversionrules.cluster;

import com.conversionrules.http.ClusterRouting;
import com.conversionrules.http.ExitFeed;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** What this instance of a cluster adds to the routes, from the parts that do each. */
final class NodeRouting implements ClusterRouting {
    private final OwnerRouting owners;
    private final ShareRoutes shares;
    private final ExitFeed exits;

    NodeRouting(OwnerRouting owners, ShareRoutes shares, ExitFeed exits) {
        this.owners = owners;
        this.shares = shares;
        this.exits = exits;
    }

    @Override
    public void toOwner(RoutingContext ctx) {
        owners.toOwner(ctx);
    }

    @Override
    public void mount(Router router, Handler<RoutingContext> admin) {
        shares.mount(router, admin);
    }

    /** The exits topic's positions, whatever the embedded feed would be. */
    @Override
    public ExitFeed exitFeed(ExitFeed local) {
        return exits;
    }
}
