package io.meshplay.apps.server.badinput;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;

/** Opens server streams and cancels each once its first response arrived, at most 100 at a time. */
final class CancelledStreams {

    private CancelledStreams() {
    }

    static void run(Channel channel, int count) throws InterruptedException {
        Semaphore open = new Semaphore(100);
        CountDownLatch closed = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            if (!open.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new AssertionError("streams do not close: " + closed.getCount() + " left");
            }
            ClientCall<StreamingRequest, StreamingResponse> call = channel.newCall(ExampleGrpc.getStreamMethod(),
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(StreamingResponse message) {
                    call.cancel("client gives up", null);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    open.release();
                    closed.countDown();
                }
            }, new Metadata());
            call.sendMessage(StreamingRequest.newBuilder().setCount(1_000_000).build());
            call.halfClose();
            call.request(1);
        }
        if (!closed.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError(closed.getCount() + " streams not closed");
        }
    }
}
