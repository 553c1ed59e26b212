package io.meshplay.apps.server.badinput;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;

/**
 * Opens server streams and cancels each once its first response arrived, at most 100 at a time. A stream
 * whose first response never comes ends at its deadline and is counted as stalled.
 */
final class CancelledStreams {

    private CancelledStreams() {
    }

    private static final int DEADLINE_SECONDS = 15;

    /**
     * @param stalled  streams whose first response never came and that ended at their deadline
     * @param unclosed streams the client still saw open long after every deadline
     */
    record Outcome(int stalled, long unclosed) {
    }

    static Outcome run(Channel channel, int count) throws InterruptedException {
        Semaphore open = new Semaphore(100);
        CountDownLatch closed = new CountDownLatch(count);
        AtomicInteger stalled = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            if (!open.tryAcquire(DEADLINE_SECONDS + 15, TimeUnit.SECONDS)) {
                return new Outcome(stalled.get(), closed.getCount());
            }
            ClientCall<StreamingRequest, StreamingResponse> call = channel.newCall(ExampleGrpc.getStreamMethod(),
                    CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS));
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(StreamingResponse message) {
                    call.cancel("client gives up", null);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                        stalled.incrementAndGet();
                    }
                    open.release();
                    closed.countDown();
                }
            }, new Metadata());
            call.sendMessage(StreamingRequest.newBuilder().setCount(1_000_000).build());
            call.halfClose();
            call.request(1);
        }
        // every call should end by its deadline at the latest: the margin is for a loaded machine
        closed.await(DEADLINE_SECONDS + 45, TimeUnit.SECONDS);
        return new Outcome(stalled.get(), closed.getCount());
    }
}
