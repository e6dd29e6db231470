package com.conversionrules.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What running on several machines adds to the routes: a per-user read is answered by the instance
 * that owns the user (its partition's state lives there), and the instances ask each other for
 * their share of cluster-wide figures on routes of their own. Embedded, {@link #NONE}.
 */
public interface ClusterRouting {
    ClusterRouting NONE = new ClusterRouting() {
        @Override
        public void toOwner(RoutingContext ctx) {
            ctx.next();
        }

        @Override
        public void mount(Router router, Handler<RoutingContext> admin) {
        }
    };

    /**
     * Before a per-user read (a route with a {@code :userId}): passes it on when this instance owns
     * the user, else answers it with the owner's answer.
     */
    void toOwner(RoutingContext ctx);

    /** The routes the instances of a cluster call on each other, behind the admin key. */
    void mount(Router router, Handler<RoutingContext> admin);
}
