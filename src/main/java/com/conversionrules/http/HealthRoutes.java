package com.conversionrules.http;

import com.conversionrules.config.StallLimits;
import com.conversionrules.engine.ShardHealth;
import com.conversionrules.store.StoreHealth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Liveness: the process should keep running (every shard makes progress within
 * {@code STALL_NOT_LIVE_AFTER}). Readiness: it should get traffic (sessions rebuilt, the store takes
 * writes, no shard stuck for {@code STALL_NOT_READY_AFTER}). A full disk makes the service unready,
 * never dead: a restart would not free the disk, and writes resume by themselves when it has room.
 */
final class HealthRoutes {
    private final BooleanSupplier sessionsReady;
    private final StoreHealth store;
    private final ShardHealth engine;
    private final StallLimits stalls;

    HealthRoutes(BooleanSupplier sessionsReady, StoreHealth store, ShardHealth engine, StallLimits stalls) {
        this.sessionsReady = sessionsReady;
        this.store = store;
        this.engine = engine;
        this.stalls = stalls;
    }

    void mount(Router router) {
        router.get("/health/live").handler(this::live);
        router.get("/health/ready").handler(this::ready);
    }

    private void live(RoutingContext ctx) {
        answer(ctx, engine.stalled(stalls.notLiveAfter()));
    }

    private void ready(RoutingContext ctx) {
        List<String> problems = new ArrayList<>();
        if (!sessionsReady.getAsBoolean()) {
            problems.add("starting: the sessions are being rebuilt from the store");
        }
        if (!store.writable()) {
            problems.add("the store has not been able to write for "
                    + TimeUnit.NANOSECONDS.toSeconds(store.failingNanos()) + " s (a full disk or an I/O error; see "
                    + "the log); writes resume by themselves once it can");
        }
        problems.addAll(engine.notReady());
        problems.addAll(engine.stalled(stalls.notReadyAfter()));
        answer(ctx, problems);
    }

    private static void answer(RoutingContext ctx, List<String> problems) {
        if (problems.isEmpty()) {
            Json.reply(ctx, 200, Json.MAPPER.createObjectNode().put("status", "UP"));
        } else {
            Problems.reply(ctx, 503, String.join("; ", problems));
        }
    }
}
