package com.conversionrules.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The logging the service sets up in code: what logback.xml used to say. */
class LogConfiguratorTest {
    private static String written(LoggerContext context, String message) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender(LogConfigurator.APPENDER);
        LoggingEvent event = new LoggingEvent(Logger.FQCN, context.getLogger("com.conversionrules.Application"),
                Level.WARN, message, null, null);
        return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void textAtTheLevelAskedWithTheLibrariesQuieter() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.apply(context, false, Level.DEBUG);

        assertEquals(Level.DEBUG, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.WARN, context.getLogger("org.drools").getLevel());
        assertEquals(Level.OFF, context.getLogger("org.drools.compiler.kie.builder.impl.KieProject").getLevel());
        assertEquals(Level.WARN, context.getLogger("org.apache.kafka").getLevel());
        assertTrue(context.getTurboFilterList().stream().anyMatch(VertxGaugeWarningFilter.class::isInstance));
        assertTrue(written(context, "Ready").matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main\\] com\\.conversionrules\\.Application - Ready\\R"), written(context, "Ready"));
    }

    @Test
    void jsonIsOneObjectPerLineWithTheFormattedMessage() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider gives the real one
        LogConfigurator.apply(context, true, Level.INFO);

        String line = written(context, "Listening");
        assertTrue(line.startsWith("{") && line.strip().endsWith("}") && line.endsWith("\n"), line);
        assertTrue(line.contains("\"formattedMessage\":\"Listening\""), line);
        assertTrue(line.contains("\"level\":\"WARN\""), line);
        assertTrue(!line.contains("\"sequenceNumber\"") && !line.contains("\"message\""), line);
    }
}
