package com.conversionrules.config;

import java.time.Duration;
import java.util.Map;

/**
 * When a shard that makes no progress (one batch taking this long: a rule that blocks or runs for
 * ever) fails health checks: readiness first, so traffic goes elsewhere, then liveness, so an
 * orchestrator restarts the process.
 */
public record StallLimits(Duration notReadyAfter, Duration notLiveAfter) {
    public static final String STALL_NOT_READY_AFTER = "STALL_NOT_READY_AFTER";
    public static final String STALL_NOT_LIVE_AFTER = "STALL_NOT_LIVE_AFTER";

    static StallLimits read(Map<String, String> env) {
        Duration ready = Durations.parse(STALL_NOT_READY_AFTER, env.getOrDefault(STALL_NOT_READY_AFTER, "10s"));
        Duration live = Durations.parse(STALL_NOT_LIVE_AFTER, env.getOrDefault(STALL_NOT_LIVE_AFTER, "60s"));
        if (live.compareTo(ready) < 0) {
            throw new IllegalArgumentException(STALL_NOT_LIVE_AFTER + " (" + live + ") must not be shorter than "
                    + STALL_NOT_READY_AFTER + " (" + ready + ")");
        }
        return new StallLimits(ready, live);
    }
}
