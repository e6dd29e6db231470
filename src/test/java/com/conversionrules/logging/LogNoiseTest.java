package com.conversionrules.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.conversionrules.rules.RulesLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warnings that look like bugs and are not stay out of the log; libraries' logs reach Logback. */
class LogNoiseTest {
    @TempDir
    Path rulesDir;

    /** Apache POI (read for .drl.xlsx tables) logs through Log4j 2, which must find Logback through SLF4J. */
    @Test
    void log4jLogsReachLogback() {
        assertEquals("org.apache.logging.slf4j.SLF4JLoggerContextFactory", LogManager.getFactory().getClass().getName());
        try (LogCapture log = LogCapture.of("log4j-route-test")) {
            LogManager.getLogger("log4j-route-test").warn("from Log4j {}", 2);
            assertEquals(List.of("from Log4j 2"), log.messages(Level.WARN));
        }
    }

    /** The service's logging drops Vert.x's gauge re-registration warning, and only that one. */
    @Test
    void theServicesLogConfigurationDropsOnlyVertxsGaugeWarning() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.apply(context, false, Level.INFO);
        Logger registry = context.getLogger(VertxGaugeWarningFilter.LOGGER);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        registry.addAppender(appender);

        registry.warn("This Gauge has been already registered (MeterId{name='vertx.http.server.active.requests', "
                + "tags=[tag(method=POST)]}), the registration will be ignored.");
        registry.warn("This Gauge has been already registered (MeterId{name='conversion_shard_queue_depth', "
                + "tags=[tag(shard=shard-0)]}), the registration will be ignored.");
        context.getLogger("other").warn("This Gauge has been already registered (MeterId{name='vertx.x'})");

        assertEquals(1, appender.list.size(), "only the service's own double registration is kept: " + appender.list);
        assertTrue(appender.list.get(0).getFormattedMessage().contains("conversion_shard_queue_depth"));
        context.stop();
    }

    /** Drools compares a file's package with its folder when the base lists packages; a subfolder is no mistake. */
    @Test
    void aPolicyInASubfolderLoadsWithoutAPackageWarning() throws Exception {
        Path shipped = Path.of("rules");
        Files.createDirectories(rulesDir.resolve("orders"));
        Files.copy(shipped.resolve("placed-order.drl"), rulesDir.resolve("orders/placed-order.drl"));
        Files.copy(shipped.resolve("site-active.drl"), rulesDir.resolve("site-active.drl"));
        try (LogCapture log = LogCapture.of("org.drools.compiler.kie.builder.impl.KieBuilderImpl")) {
            var rules = new RulesLoader(rulesDir).load();
            assertEquals(List.of("none", "placed_order", "site_active"), rules.conversionEvents().ids());
            assertEquals(List.of(), log.messages(Level.WARN));
        }
    }
}
