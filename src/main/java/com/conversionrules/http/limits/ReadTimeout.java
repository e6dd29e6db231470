package com.conversionrules.http.limits;

import com.conversionrules.model.Rejection;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * A request must arrive whole within {@code HTTP_READ_TIMEOUT} of its headers: a client that
 * dribbles its body gets a 408 and its connection closed, instead of holding a connection and the
 * memory its body reserved. The time the service then takes to answer is not counted.
 */
public final class ReadTimeout implements Handler<RoutingContext> {
    private final long millis;
    private final String setting;

    public ReadTimeout(Duration timeout, String setting) {
        this.millis = Math.max(1, timeout.toMillis());
        this.setting = setting;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            long timer = ctx.vertx().setTimer(millis, fired -> {
                if (!ctx.request().isEnded() && !ctx.response().ended()) {
                    ctx.fail(Rejection.timeout("the request did not arrive in full within "
                            + Duration.ofMillis(millis).toString().substring(2).toLowerCase() + " (" + setting
                            + "); send the body without pausing"));
                }
            });
            ctx.addEndHandler(ended -> ctx.vertx().cancelTimer(timer));
        }
        ctx.next();
    }
}
