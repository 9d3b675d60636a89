package dev.orderpipeline.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures what the function logs, while open: each event rendered by the function's own JSON layout (the line that
 * would reach CloudWatch) and, as a superset of what any layout could print, the raw message, the MDC and the full
 * stack trace with every cause. The function's own loggers ({@code dev.orderpipeline}) are opened to every level, so
 * DEBUG lines are checked too; the rest of the configuration keeps its levels. The production layout is the appender
 * named {@code JsonAppender} in the function's own {@code log4j2.xml}.
 */
public final class CapturedLogs implements AutoCloseable {
    private static final String OWN_LOGGERS = "dev.orderpipeline";

    private final LoggerContext context;
    private final Appender appender;
    private final Map<LoggerConfig, Level> levels = new HashMap<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender production = config.getAppender("JsonAppender");
        Layout<?> layout = production == null ? null : production.getLayout();
        appender = new AbstractAppender("captured-" + System.identityHashCode(this), null, layout, false, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(render(getLayout(), event));
            }
        };
        appender.start();
        config.addAppender(appender);
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        if (!loggers.contains(config.getRootLogger())) {
            loggers.add(config.getRootLogger());
        }
        for (LoggerConfig logger : loggers) {
            logger.addAppender(appender, Level.ALL, null);
            if (logger.getName().equals(OWN_LOGGERS)) {
                levels.put(logger, logger.getLevel());
                logger.setLevel(Level.ALL);
            }
        }
        context.updateLoggers();
    }

    public static CapturedLogs capture() {
        return new CapturedLogs();
    }

    /** Everything logged so far, one entry per event. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        loggers.add(config.getRootLogger());
        for (LoggerConfig logger : loggers) {
            logger.removeAppender(appender.getName());
        }
        levels.forEach(LoggerConfig::setLevel);
        appender.stop();
        context.updateLoggers();
    }

    private static String render(Layout<?> layout, LogEvent event) {
        StringBuilder sb = new StringBuilder();
        if (layout != null) {
            sb.append(new String(layout.toByteArray(event), StandardCharsets.UTF_8)).append('\n');
        }
        sb.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(": ")
                .append(event.getMessage().getFormattedMessage()).append('\n');
        sb.append("mdc=").append(event.getContextData().toMap()).append('\n');
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            sb.append(trace);
        }
        return sb.toString();
    }
}
