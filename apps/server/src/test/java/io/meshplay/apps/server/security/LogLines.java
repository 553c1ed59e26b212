package io.meshplay.apps.server.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** The lines one logger writes (level and message, as a log file shows them) until closed. */
final class LogLines extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter format = new SimpleFormatter();

    private LogLines(Logger logger) {
        this.logger = logger;
    }

    static LogLines of(String loggerName) {
        LogLines lines = new LogLines(Logger.getLogger(loggerName));
        lines.logger.addHandler(lines);
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getLevel() + " " + format.formatMessage(record));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
