package com.conversionrules.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops one misleading warning. Vert.x Micrometer (5.0.x) registers its per-method
 * {@code vertx.http.server.active.requests} gauge again on every request and keeps counting in the
 * gauge it registered first, which is correct; Micrometer warns about the second registration, on
 * the first request of every run, as if something were broken. Only Vert.x's own meters are
 * silenced: a double registration of this service's meters is still reported.
 */
public final class VertxGaugeWarningFilter extends TurboFilter {
    static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";
    static final String WARNING = "This Gauge has been already registered (MeterId{name='vertx.";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level == Level.WARN && format != null && format.startsWith(WARNING) && LOGGER.equals(logger.getName())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
