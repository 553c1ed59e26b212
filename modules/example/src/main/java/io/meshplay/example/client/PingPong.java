package io.meshplay.example.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Ping;
import io.meshplay.example.proto.Pong;

/** The ping-pong call of client-pingpong, on any channel (a name-resolved one, or a plain one in a test). */
public final class PingPong {

    private PingPong() {
    }

    /** Sends {@code count} pings on one stream; returns the strokes of the pongs in order. */
    public static List<Long> play(Channel channel, int count, LongConsumer onPong) throws InterruptedException {
        List<Long> strokes = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] error = new Throwable[1];
        StreamObserver<Ping> pings = ExampleGrpc.newStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .pingPong(new StreamObserver<>() {
                    @Override
                    public void onNext(Pong pong) {
                        synchronized (strokes) {
                            strokes.add(pong.getStroke());
                        }
                        onPong.accept(pong.getStroke());
                    }

                    @Override
                    public void onError(Throwable t) {
                        error[0] = t;
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (int i = 0; i < count; i++) {
            pings.onNext(Ping.newBuilder().setStroke(i).build());
        }
        pings.onCompleted();
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no end of the ping-pong stream within 30 s");
        }
        if (error[0] != null) {
            System.err.println("ping-pong failed: " + error[0].getMessage());
        }
        synchronized (strokes) {
            return List.copyOf(strokes);
        }
    }
}
