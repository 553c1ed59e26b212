package io.meshplay.apps.server.interop;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Watches server streams at the transport boundary: responses handed to the transport, streams still
 * open (ended once, by the service closing it or the transport cancelling it, whichever comes first),
 * and transports that report a cancel more than once for one call. ExampleService's own counters assume
 * one onCancel per call, as grpc-java promises; the tracker does not, so the suite can tell both apart.
 */
final class StreamTracker implements ServerInterceptor {

    private final LongAdder messages = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder repeatedCancels = new LongAdder();

    long messages() {
        return messages.sum();
    }

    int open() {
        return open.get();
    }

    long repeatedCancels() {
        return repeatedCancels.sum();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getType() != io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING) {
            return next.startCall(call, headers);
        }
        AtomicBoolean ended = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        open.incrementAndGet();
        ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                messages.increment();
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                end.run();
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onCancel() {
                if (!cancelled.compareAndSet(false, true)) {
                    repeatedCancels.increment();
                }
                end.run();
                super.onCancel();
            }
        };
    }
}
