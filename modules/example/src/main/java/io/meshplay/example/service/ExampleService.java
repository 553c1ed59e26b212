package io.meshplay.example.service;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Ping;
import io.meshplay.example.proto.Pong;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;

/** The example service, wire-compatible with the Go seed's. */
public final class ExampleService extends ExampleGrpc.ExampleImplBase {

    private final LongAdder streamed = new LongAdder();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final Consumer<Request> onCall;

    public ExampleService() {
        this(request -> { });
    }

    /**
     * @param onCall runs inside every {@code Call} before it answers (the example server publishes an event
     *               there); if it throws, the call fails with that error
     */
    public ExampleService(Consumer<Request> onCall) {
        this.onCall = onCall;
    }

    /** Stream responses handed to the transport so far (how far a sender ran ahead of its reader). */
    public long streamedResponses() {
        return streamed.sum();
    }

    /** Server streams not yet completed or cancelled. */
    public int openStreams() {
        return openStreams.get();
    }

    @Override
    public void call(Request request, StreamObserver<Response> responses) {
        onCall.accept(request);
        responses.onNext(Response.newBuilder().setMsg("Hello " + request.getName()).build());
        responses.onCompleted();
    }

    /**
     * Sends only while the transport is ready, so a huge count against a slow reader stays in bounded
     * memory, and stops as soon as the client cancels.
     */
    @Override
    public void stream(StreamingRequest request, StreamObserver<StreamingResponse> responses) {
        ServerCallStreamObserver<StreamingResponse> out = (ServerCallStreamObserver<StreamingResponse>) responses;
        openStreams.incrementAndGet();
        new StreamSender(out, request.getCount(), streamed, openStreams::decrementAndGet).start();
    }

    @Override
    public StreamObserver<Ping> pingPong(StreamObserver<Pong> pongs) {
        AtomicBoolean done = new AtomicBoolean();
        return new StreamObserver<>() {
            @Override
            public void onNext(Ping ping) {
                pongs.onNext(Pong.newBuilder().setStroke(ping.getStroke()).build());
            }

            @Override
            public void onError(Throwable t) {
                done.set(true);
            }

            @Override
            public void onCompleted() {
                if (done.compareAndSet(false, true)) {
                    pongs.onCompleted();
                }
            }
        };
    }
}
