package io.meshplay.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Holds back what Helidon's WebServer logs at SEVERE while it starts. On a bind failure Helidon logs a
 * 30-line trace and returns a stopped server instead of throwing; {@link MeshplayServer} turns that into
 * one exception that names the key ({@code server.port 8080: address already in use}), with Helidon's
 * exception as its cause, so the user reads one line and {@code --verbose} still shows the trace. What
 * was held is logged after all if the server started anyway.
 */
final class HelidonStartLog implements AutoCloseable {

    private static final String LOGGER = "io.helidon.webserver.LoomServer";

    // a strong reference: JUL keeps loggers weakly, and a collected logger would lose the filter
    private final Logger logger = Logger.getLogger(LOGGER);
    private final Filter previous = logger.getFilter();
    private final List<LogRecord> held = new CopyOnWriteArrayList<>();

    HelidonStartLog() {
        logger.setFilter(record -> {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                held.add(record);
                return false;
            }
            return previous == null || previous.isLoggable(record);
        });
    }

    /** The first exception Helidon logged, if any. */
    Optional<Throwable> failure() {
        return held.stream().map(LogRecord::getThrown).filter(t -> t != null).findFirst();
    }

    /** Logs what was held, for a start that went on despite it. */
    void release() {
        logger.setFilter(previous);
        held.forEach(logger::log);
        held.clear();
    }

    @Override
    public void close() {
        logger.setFilter(previous);
    }
}
