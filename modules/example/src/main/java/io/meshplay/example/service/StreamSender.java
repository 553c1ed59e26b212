package io.meshplay.example.service;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.stub.ServerCallStreamObserver;
import io.meshplay.example.proto.StreamingResponse;

/** Drives one server stream by the transport's readiness (grpc-java's flow-control pattern). */
final class StreamSender implements Runnable {

    private final ServerCallStreamObserver<StreamingResponse> out;
    private final long count;
    private long next;
    private boolean completed;
    private volatile boolean cancelled;

    private final LongAdder sent;
    private final Runnable onEnd;
    /** Helidon's transport may report one cancellation more than once; the stream ends once. */
    private final AtomicBoolean ended = new AtomicBoolean();

    StreamSender(ServerCallStreamObserver<StreamingResponse> out, long count, LongAdder sent, Runnable onEnd) {
        this.out = out;
        this.count = Math.max(0, count);
        this.sent = sent;
        this.onEnd = onEnd;
    }

    void start() {
        out.setOnCancelHandler(() -> {
            cancelled = true;
            end();
        });
        out.setOnReadyHandler(this);
        run();
    }

    /** Called on every onReady; synchronized because the first call and onReady may race. */
    @Override
    public synchronized void run() {
        while (!completed && !cancelled && next < count && out.isReady()) {
            out.onNext(StreamingResponse.newBuilder().setCount(next++).build());
            sent.increment();
        }
        if (!completed && !cancelled && next >= count) {
            completed = true;
            out.onCompleted();
            end();
        }
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }
}
