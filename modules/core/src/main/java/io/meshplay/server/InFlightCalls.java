package io.meshplay.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.meshplay.client.ServedBy;

/**
 * Counts calls in flight, so shutdown can let them finish, and names the instance that served each
 * call in the {@code meshplay-instance} response header (the demo shows which server answered).
 */
final class InFlightCalls implements ServerInterceptor {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Supplier<String> instanceId;

    /** @param instanceId read per call: the id is known only once the server has bound its port */
    InFlightCalls(Supplier<String> instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        inFlight.incrementAndGet();
        ServerCall<ReqT, RespT> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            private boolean closed;

            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(ServedBy.HEADER, instanceId.get());
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                done();
                super.close(status, trailers);
            }

            private synchronized void done() {
                if (!closed) {
                    closed = true;
                    inFlight.decrementAndGet();
                }
            }
        };
        try {
            return next.startCall(counted, headers);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
    }

    int count() {
        return inFlight.get();
    }

    /** Waits until no call is in flight or the deadline passes; returns the calls still running. */
    int awaitIdle(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return inFlight.get();
    }
}
