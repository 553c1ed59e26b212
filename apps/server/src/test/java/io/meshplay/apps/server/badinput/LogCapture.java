package io.meshplay.apps.server.badinput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every line the server would log with meshplay-core's default logging.properties: the levels are that
 * file's, and a handler on the root logger keeps each record as it would print (message and stack trace).
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Level> levels = new CopyOnWriteArrayList<>();
    private final SimpleFormatter format = new SimpleFormatter();

    static LogCapture withDefaultLevels() {
        try (InputStream defaults = LogCapture.class.getResourceAsStream("/logging.properties")) {
            LogManager.getLogManager().readConfiguration(defaults);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LogCapture capture = new LogCapture();
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        // the test's own grpc-java client logs in this JVM too (e.g. Helidon's GOAWAY after rapid resets): not the server's
        if (isLoggable(record) && !String.valueOf(record.getLoggerName()).contains(".NettyClient")) {
            lines.add(format.format(record));
            levels.add(record.getLevel());
        }
    }

    void clear() {
        lines.clear();
        levels.clear();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    long atLeast(Level level) {
        return levels.stream().filter(l -> l.intValue() >= level.intValue()).count();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
