package io.meshplay.client;

import java.util.concurrent.atomic.AtomicInteger;

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

/**
 * Counts calls by status, times them, counts retried attempts (seen through a stream tracer), and
 * knows how many calls are in flight so a closing client need not wait for idle connections.
 */
final class ClientMetricsInterceptor implements ClientInterceptor {

    private final String service;
    private final AtomicInteger inFlight = new AtomicInteger();

    int inFlight() {
        return inFlight.get();
    }

    ClientMetricsInterceptor(String service) {
        this.service = service;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        String methodName = method.getFullMethodName();
        ClientStreamTracer.Factory retries = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                if (info.getPreviousAttempts() > 0) {
                    ClientMetrics.retry(service, methodName);
                }
                return new ClientStreamTracer() {
                };
            }
        };
        long start = System.nanoTime();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options.withStreamTracerFactory(retries))) {
            @Override
            public void start(Listener<RespT> listener, Metadata headers) {
                inFlight.incrementAndGet();
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        inFlight.decrementAndGet();
                        ClientMetrics.call(service, methodName, status.getCode().name(), System.nanoTime() - start);
                        super.onClose(status, trailers);
                    }
                }, headers);
            }
        };
    }
}
