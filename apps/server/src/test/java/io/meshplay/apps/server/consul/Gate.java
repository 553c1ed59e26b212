package io.meshplay.apps.server.consul;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.meshplay.example.proto.Request;

/**
 * Holds the one call whose name is {@code held} inside the server until {@link #release()}, so a test
 * can have a call in flight while it shuts the server down. Other calls pass straight through.
 */
final class Gate implements ServerInterceptor {

    private final String held;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    Gate(String held) {
        this.held = held;
    }

    /** The service with this gate in front of it; the .proto descriptor is kept (reflection needs it). */
    BindableService wrap(BindableService service) {
        ServerServiceDefinition definition = ServerInterceptors.intercept(service, this);
        return () -> definition;
    }

    /** Waits until the held call has reached the server. */
    boolean awaitEntered(long timeout, TimeUnit unit) throws InterruptedException {
        return entered.await(timeout, unit);
    }

    void release() {
        released.countDown();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean hold;

            @Override
            public void onMessage(Q message) {
                hold = message instanceof Request r && r.getName().equals(held);
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (hold) {
                    entered.countDown();
                    try {
                        // bounded, so a failed test cannot leave a server thread parked for ever
                        released.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.onHalfClose();
            }
        };
    }
}
