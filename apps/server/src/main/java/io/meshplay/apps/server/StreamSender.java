package io.meshplay.apps.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.meshplay.example.proto.StreamingResponse;

/** Drives one server stream by the transport's readiness (grpc-java's flow-control pattern). */
final class StreamSender implements Runnable {

    private final ServerCallStreamObserver<StreamingResponse> out;
    private final long count;
    private long next;
    private boolean completed;
    private volatile boolean cancelled;

    StreamSender(ServerCallStreamObserver<StreamingResponse> out, long count) {
        this.out = out;
        this.count = Math.max(0, count);
    }

    void start() {
        out.setOnCancelHandler(() -> cancelled = true);
        out.setOnReadyHandler(this);
        run();
    }

    /** Called on every onReady; synchronized because the first call and onReady may race. */
    @Override
    public synchronized void run() {
        while (!completed && !cancelled && next < count && out.isReady()) {
            out.onNext(StreamingResponse.newBuilder().setCount(next++).build());
        }
        if (!completed && !cancelled && next >= count) {
            completed = true;
            out.onCompleted();
        }
    }
}
