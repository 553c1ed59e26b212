package io.meshplay.apps.server;

import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import io.grpc.stub.StreamObserver;

/** Stream observers for tests that collect what a server streams back. */
final class Observers {

    private Observers() {
    }

    /** Hands each response to {@code each}; counts {@code done} down once the call ends, however it ends. */
    static <T> StreamObserver<T> collecting(Consumer<T> each, CountDownLatch done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                each.accept(value);
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        };
    }
}
