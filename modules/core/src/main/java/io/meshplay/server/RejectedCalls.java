package io.meshplay.server;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.meshplay.observe.RateLimitedLog;

/**
 * Calls the server refused because of what the client sent, whichever transport noticed: counted in
 * {@code grpc.server.rejected} (tags {@code reason}, {@code grpc.method}; the scope of the other gRPC
 * server meters) and logged at most a few lines per reason per minute, never with the request's bytes.
 * A burst of bad calls is the client's problem, so it must neither fill the log nor hide other events.
 * Static because Helidon creates its HTTP/2 sub-protocols through {@link java.util.ServiceLoader}, where no
 * server instance can be handed over; the meters live in the global registry anyway.
 */
final class RejectedCalls {

    /** Why a call was refused; the {@code reason} tag. */
    enum Reason {
        /** a request message over {@code grpc.max-inbound-message-size}: RESOURCE_EXHAUSTED */
        OVERSIZED("oversized"),
        /** a request message that is not the method's protobuf: INVALID_ARGUMENT */
        UNPARSEABLE("unparseable"),
        /** a {@code grpc-encoding} the server cannot decompress, or a compressed message without one */
        UNSUPPORTED_ENCODING("unsupported-encoding");

        final String tag;

        Reason(String tag) {
            this.tag = tag;
        }
    }

    static final String METER = "grpc.server.rejected";
    private static final String SCOPE = "vendor";
    private static final RateLimitedLog LOG = RateLimitedLog.of(System.getLogger(RejectedCalls.class.getName()));
    private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

    private RejectedCalls() {
    }

    /**
     * Counts and (rate-limited) logs one refused call.
     *
     * @param method the full method name (a served one: unknown methods are not counted here)
     * @param status what the client is told; its description must hold no request bytes
     */
    static void record(Reason reason, String method, Status status) {
        COUNTERS.computeIfAbsent(reason.tag + '\n' + method, k -> Metrics.getOrCreate(Counter.builder(METER)
                .scope(SCOPE)
                .description("gRPC calls refused for what the client sent")
                .tags(List.of(Tag.create("reason", reason.tag), Tag.create("grpc.method", method))))).increment();
        // INFO: the server is fine and did what it should; the client needs fixing, and it has the status
        LOG.log(Level.INFO, "grpc.rejected." + reason.tag, () -> "refused a call to " + method + " (" + reason.tag
                + "): " + status.getCode() + " " + status.getDescription());
    }
}
