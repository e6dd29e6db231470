package com.conversionrules.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import com.conversionrules.config.LogSettings;
import java.util.Map;

/**
 * The service's logging, set up in code (logback finds this class through ServiceLoader): reading
 * the old XML configuration (its parser, Joran) put about 40 ms ahead of every start and CLI command
 * ({@code java -jar target/conversion-rules.jar check-rules}, five runs each alternately: 1.82-1.89 s,
 * against 1.84-1.92 s with {@code -Dlogback.configurationFile} pointing at the old file). A
 * {@code logback.xml} or {@code logback-test.xml} on the class path, or
 * {@code -Dlogback.configurationFile}, still takes over.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String APPENDER = "console";
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";
    /** Libraries that narrate at INFO: Drools every build and agenda change, Kafka its whole configuration. */
    private static final Map<String, Level> QUIETER = Map.of(
            "org.drools", Level.WARN,
            "org.kie", Level.WARN,
            // The rules loader reports every compile error itself, located in the analyst's file.
            "org.drools.compiler.kie.builder.impl.KieProject", Level.OFF,
            "io.netty", Level.WARN,
            "org.apache.kafka", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogConfigurator.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        boolean json = "json".equals(setting(LogSettings.LOG_FORMAT));
        apply(context, json, Level.toLevel(setting(LogSettings.LOG_LEVEL), Level.INFO));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** One console appender at {@code level}, JSON or text, and the quieter libraries. */
    static void apply(LoggerContext context, boolean json, Level level) {
        context.addTurboFilter(new VertxGaugeWarningFilter());
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(APPENDER);
        console.setEncoder(encoder(context, json));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console);
        QUIETER.forEach((name, quieter) -> context.getLogger(name).setLevel(quieter));
    }

    /** One JSON object per line (for log shippers), or text. */
    private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.setWithSequenceNumber(false);
            encoder.setWithNanoseconds(false);
            encoder.setWithContext(false);
            encoder.setWithFormattedMessage(true);
            encoder.setWithMessage(false);
            encoder.setWithArguments(false);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /** Main checks and sets these before anything logs; a library embedding the service may not. */
    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }
}
