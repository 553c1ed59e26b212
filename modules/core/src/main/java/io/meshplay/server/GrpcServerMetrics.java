package io.meshplay.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The gRPC server meters Helidon's gRPC routing records, recorded for the Netty transport under the
 * same names, tags, scope and units, so dashboards and docs/metrics.md do not depend on the transport.
 * A stream tracer rather than an interceptor because only the transport knows the wire sizes.
 */
final class GrpcServerMetrics extends ServerStreamTracer.Factory {

    private static final String SCOPE = "vendor";

    private final Map<String, Counter> started = new ConcurrentHashMap<>();
    private final Map<String, Closed> closed = new ConcurrentHashMap<>();

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        started.computeIfAbsent(fullMethodName, m -> Metrics.getOrCreate(Counter.builder("grpc.server.call.started")
                .scope(SCOPE).tags(List.of(Tag.create("grpc.method", m))))).increment();
        return new CallTracer(fullMethodName);
    }

    private Closed closed(String method, Status.Code code) {
        return closed.computeIfAbsent(method + '\n' + code, k -> new Closed(method, code.name()));
    }

    /** The meters of one method and final status. */
    private record Closed(Timer duration, DistributionSummary sent, DistributionSummary received) {
        Closed(String method, String status) {
            this(tags(method, status));
        }

        private Closed(List<Tag> tags) {
            this(Metrics.getOrCreate(Timer.builder("grpc.server.call.duration").scope(SCOPE).baseUnit("milliseconds").tags(tags)),
                    Metrics.getOrCreate(DistributionSummary.builder("grpc.server.call.sent_total_compressed_message_size")
                            .scope(SCOPE).tags(tags)),
                    Metrics.getOrCreate(DistributionSummary.builder("grpc.server.call.rcvd_total_compressed_message_size")
                            .scope(SCOPE).tags(tags)));
        }

        private static List<Tag> tags(String method, String status) {
            return List.of(Tag.create("grpc.method", method), Tag.create("grpc.status", status));
        }
    }

    private final class CallTracer extends ServerStreamTracer {
        private final String method;
        private final long startNanos = System.nanoTime();
        private final AtomicLong sentBytes = new AtomicLong();
        private final AtomicLong receivedBytes = new AtomicLong();

        CallTracer(String method) {
            this.method = method;
        }

        @Override
        public void outboundWireSize(long bytes) {
            sentBytes.addAndGet(bytes);
        }

        @Override
        public void inboundWireSize(long bytes) {
            receivedBytes.addAndGet(bytes);
        }

        @Override
        public void streamClosed(Status status) {
            Closed meters = closed(method, status.getCode());
            meters.duration().record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            meters.sent().record(sentBytes.get());
            meters.received().record(receivedBytes.get());
        }
    }
}
