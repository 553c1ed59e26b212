package io.meshplay.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
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
        Once done = new Once();
        ServerCall<ReqT, RespT> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(ServedBy.HEADER, instanceId.get());
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                done.run();
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<ReqT> listener;
        try {
            listener = next.startCall(counted, headers);
        } catch (RuntimeException e) {
            done.run();
            throw e;
        }
        // A call can also end without the service closing it: the client cancels, or the call is closed
        // beneath the service (a rejected request, see RequestGuard). Without these a cancelled call stayed
        // "in flight" for ever and every shutdown afterwards waited out service.shutdown-timeout.
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                done.run();
                super.onCancel();
            }

            @Override
            public void onComplete() {
                done.run();
                super.onComplete();
            }
        };
    }

    /** Counts a call's end once, however many of close, onCancel and onComplete report it. */
    private final class Once implements Runnable {
        private final AtomicBoolean ran = new AtomicBoolean();

        @Override
        public void run() {
            if (ran.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
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
