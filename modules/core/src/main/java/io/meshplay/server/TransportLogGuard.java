package io.meshplay.server;

import java.lang.System.Logger.Level;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.meshplay.observe.RateLimitedLog;

/**
 * Keeps the transports' per-call noise out of the log, for any logging configuration (a JUL filter on
 * their loggers, not a level in logging.properties that an embedding app would not have):
 * <ul>
 *   <li>Helidon 4.4.0's gRPC handler logs every failure to process a DATA frame at ERROR with the frame in
 *   hex ({@code "Failed to process grpc request: " + data.debugDataHex()}), one line per frame.
 *   {@link GuardedGrpcHandler} answers the causes we know before that; for any other, the record is
 *   replaced by one rate-limited line without the bytes.</li>
 *   <li>grpc-java's Netty server logs WARNING "Exception processing message" for each oversized request
 *   (counted and logged by {@link NettyRejections}) and WARNING "Stream Error ... Stream closed before write
 *   could take place" whenever a client cancels a stream the server is writing to. Neither is the server's
 *   problem; a client cancelling is not an error. Both are dropped.</li>
 * </ul>
 */
final class TransportLogGuard {

    static final String HELIDON_GRPC = "io.helidon.webserver.grpc.GrpcProtocolHandler";
    static final String NETTY_STREAM = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";
    static final String NETTY_HANDLER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler";

    // JUL holds loggers weakly: keep them, or the filters go with a garbage-collected logger
    private static final Logger HELIDON = Logger.getLogger(HELIDON_GRPC);
    private static final Logger STREAM = Logger.getLogger(NETTY_STREAM);
    private static final Logger HANDLER = Logger.getLogger(NETTY_HANDLER);
    private static final RateLimitedLog LOG = RateLimitedLog.of(System.getLogger(TransportLogGuard.class.getName()));

    private TransportLogGuard() {
    }

    static void helidon() {
        install(HELIDON, TransportLogGuard::helidonRecord);
    }

    static void netty() {
        install(STREAM, r -> !startsWith(r, "Exception processing message"));
        install(HANDLER, r -> !(startsWith(r, "Stream Error") && r.getThrown() != null
                && String.valueOf(r.getThrown().getMessage()).startsWith("Stream closed before write could take place")));
    }

    private static synchronized void install(Logger logger, Filter filter) {
        if (logger.getFilter() == null) {
            logger.setFilter(filter);
        }
    }

    private static boolean startsWith(LogRecord record, String prefix) {
        return record.getMessage() != null && record.getMessage().startsWith(prefix);
    }

    private static boolean helidonRecord(LogRecord record) {
        if (!startsWith(record, "Failed to process grpc request")) {
            return true;
        }
        Throwable t = record.getThrown();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.nio.channels.ClosedChannelException) {
                return false; // the client went away (a cancel, a closed connection): not an error
            }
        }
        LOG.log(Level.WARNING, "grpc.helidon.data-failure", () -> "Helidon's gRPC handler failed on a request"
                + " (request bytes not logged): " + (t == null ? "no exception" : t.getClass().getName() + ": " + t.getMessage()));
        return false;
    }
}
