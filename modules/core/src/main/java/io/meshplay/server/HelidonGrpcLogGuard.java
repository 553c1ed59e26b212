package io.meshplay.server;

import java.lang.System.Logger.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.meshplay.observe.RateLimitedLog;

/**
 * Keeps request bytes out of the log: Helidon 4.4.0's gRPC handler logs every failure to process a DATA
 * frame at ERROR with the frame in hex ({@code "Failed to process grpc request: " + data.debugDataHex()}),
 * one line per frame. {@link GuardedGrpcHandler} answers the causes we know before that happens; for any
 * other, this filter drops Helidon's record and writes one rate-limited line with the exception instead.
 */
final class HelidonGrpcLogGuard {

    static final String HELIDON_LOGGER = "io.helidon.webserver.grpc.GrpcProtocolHandler";
    private static final String HEX_DUMP = "Failed to process grpc request";
    // JUL holds loggers weakly: keep it, or the filter goes with a garbage-collected logger
    private static final Logger HELIDON = Logger.getLogger(HELIDON_LOGGER);
    private static final RateLimitedLog LOG = RateLimitedLog.of(System.getLogger(HelidonGrpcLogGuard.class.getName()));

    private HelidonGrpcLogGuard() {
    }

    static synchronized void install() {
        if (HELIDON.getFilter() == null) {
            HELIDON.setFilter(HelidonGrpcLogGuard::allow);
        }
    }

    private static boolean allow(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.startsWith(HEX_DUMP)) {
            return true;
        }
        Throwable t = record.getThrown();
        LOG.log(Level.WARNING, "grpc.helidon.data-failure", () -> "Helidon's gRPC handler failed on a request"
                + " (request bytes not logged): " + (t == null ? "no exception" : t.getClass().getName() + ": " + t.getMessage()));
        return false;
    }
}
