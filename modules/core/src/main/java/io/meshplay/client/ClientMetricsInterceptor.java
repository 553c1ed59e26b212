package io.meshplay.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Timer;

/**
 * Counts calls by status, times them, counts retried attempts (seen through a stream tracer), and
 * knows how many calls are in flight so a closing client need not wait for idle connections.
 * The meters of a method are looked up once (a registry lookup per call cost more than the rest of the client).
 */
final class ClientMetricsInterceptor implements ClientInterceptor {

    private static final ClientStreamTracer NO_OP = new ClientStreamTracer() {
    };
    private static final Status.Code[] CODES = Status.Code.values();

    private final String service;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, MethodMeters> methods = new ConcurrentHashMap<>();

    ClientMetricsInterceptor(String service) {
        this.service = service;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        MethodMeters meters = methods.computeIfAbsent(method.getFullMethodName(), MethodMeters::new);
        long start = System.nanoTime();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options.withStreamTracerFactory(meters.retries))) {
            @Override
            public void start(Listener<RespT> listener, Metadata headers) {
                inFlight.incrementAndGet();
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        inFlight.decrementAndGet();
                        meters.closed(status.getCode(), System.nanoTime() - start);
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }

    /** One method's meters; a status's are created when a call first ends with it. */
    private final class MethodMeters {
        private final String method;
        private final AtomicReferenceArray<Counter> calls = new AtomicReferenceArray<>(CODES.length);
        private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(CODES.length);
        private volatile Counter retried;
        private final ClientStreamTracer.Factory retries = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                if (info.getPreviousAttempts() > 0) {
                    retried().increment();
                }
                return NO_OP;
            }
        };

        MethodMeters(String method) {
            this.method = method;
        }

        void closed(Status.Code code, long nanos) {
            int i = code.ordinal();
            Counter count = calls.get(i);
            Timer duration = durations.get(i);
            if (count == null || duration == null) { // the registry returns the same meter to a racing second lookup
                count = ClientMetrics.calls(service, method, code.name());
                duration = ClientMetrics.duration(service, method, code.name());
                calls.set(i, count);
                durations.set(i, duration);
            }
            count.increment();
            duration.record(nanos, TimeUnit.NANOSECONDS);
        }

        private Counter retried() {
            Counter c = retried;
            if (c == null) {
                c = ClientMetrics.retries(service, method);
                retried = c;
            }
            return c;
        }
    }
}
