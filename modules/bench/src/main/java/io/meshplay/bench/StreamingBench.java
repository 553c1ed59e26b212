package io.meshplay.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Ping;
import io.meshplay.example.proto.Pong;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;
import org.HdrHistogram.Histogram;

/**
 * Row 3, streaming: {@code Stream} responses per second for one stream of {@code count} responses
 * (async client, gRPC's own flow control), and {@code PingPong} round trips per second on one bidi
 * stream with one ping in flight. Against the meshplay server on each gRPC transport and, as a
 * reference, the grpc-java Netty server serving the same implementation, alternating.
 */
final class StreamingBench {

    /** One measured stream or ping-pong run. */
    record Run(double perSecond, long count, double p50Micros, double p99Micros) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("perSecond", Spread.round(perSecond));
            m.put("count", count);
            if (!Double.isNaN(p50Micros)) {
                m.put("p50Micros", Spread.round(p50Micros));
                m.put("p99Micros", Spread.round(p99Micros));
            }
            return m;
        }
    }

    private StreamingBench() {
    }

    static void run(BenchEnv env, ServerSides servers, Row row) {
        BenchPlan plan = env.plan;
        List<String> sides = ServerSides.ALL;
        // warm-up: a stream and a short ping-pong on each side, unrecorded
        for (String side : sides) {
            stream(servers.channel(side), Math.min(plan.streamCount(), 20_000));
            pingPong(servers.channel(side), plan.pingPongSlot().dividedBy(2));
        }
        Map<String, List<Run>> streams = Alternating.rounds(sides, plan.streamRounds(),
                side -> stream(servers.channel(side), plan.streamCount()));
        Map<String, List<Run>> pings = Alternating.rounds(sides, plan.streamRounds(),
                side -> pingPong(servers.channel(side), plan.pingPongSlot()));

        String netty = ServerSides.NETTY;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("client", "grpc-java async stub on a fixed-address Netty channel");
        data.put("streamCount", plan.streamCount());
        for (String side : ServerSides.MESHPLAY) {
            Spread ms = Alternating.spread(streams.get(side), Run::perSecond);
            Spread streamRatio = Alternating.ratio(streams.get(side), streams.get(netty), Run::perSecond);
            row.info("Stream, count=" + plan.streamCount() + ", " + side, ms.format(Spread::count) + " responses/s ("
                    + streamRatio.format(Spread::ratio) + " the grpc-java Netty server's "
                    + Spread.count(Alternating.spread(streams.get(netty), Run::perSecond).median()) + ")");
            Spread mp = Alternating.spread(pings.get(side), Run::perSecond);
            Spread pingRatio = Alternating.ratio(pings.get(side), pings.get(netty), Run::perSecond);
            row.info("PingPong, 1 in flight, " + side, mp.format(Spread::count) + " round trips/s, p99 "
                    + Spread.millis(Alternating.spread(pings.get(side), Run::p99Micros).median()) + " ("
                    + pingRatio.format(Spread::ratio) + " the grpc-java Netty server's "
                    + Spread.count(Alternating.spread(pings.get(netty), Run::perSecond).median()) + ")");
            data.put("streamRatio " + side + " / " + netty, streamRatio.json());
            data.put("pingPongRatio " + side + " / " + netty, pingRatio.json());
        }
        for (String side : sides) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("streamResponsesPerSecond", Alternating.spread(streams.get(side), Run::perSecond).json());
            s.put("pingPongRoundTripsPerSecond", Alternating.spread(pings.get(side), Run::perSecond).json());
            s.put("streams", streams.get(side).stream().map(Run::json).toList());
            s.put("pingPongs", pings.get(side).stream().map(Run::json).toList());
            data.put(side, s);
        }
        row.data("streaming", data);
    }

    static Run stream(Channel channel, int count) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] received = new long[1];
        long t0 = System.nanoTime();
        ExampleGrpc.newStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS)
                .stream(StreamingRequest.newBuilder().setCount(count).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(StreamingResponse value) {
                        received[0]++;
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure.set(t);
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        await(done, "stream of " + count);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("stream failed after " + received[0] + " of " + count + " responses: "
                    + Errors.describe(failure.get()), failure.get());
        }
        if (received[0] != count) {
            throw new IllegalStateException("stream ended after " + received[0] + " of " + count + " responses");
        }
        return new Run(count / seconds, count, Double.NaN, Double.NaN);
    }

    /** One bidi stream; each pong sends the next ping until the time is up. */
    static Run pingPong(Channel channel, Duration duration) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Histogram rtt = new Histogram(60_000_000L, 3);
        long[] state = new long[2]; // [0] = round trips, [1] = send time of the ping in flight
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        StreamObserver<Ping>[] pings = newPingArray();
        pings[0] = ExampleGrpc.newStub(channel).withDeadlineAfter(duration.toSeconds() + 60, TimeUnit.SECONDS)
                .pingPong(new StreamObserver<>() {
                    @Override
                    public void onNext(Pong pong) {
                        long now = System.nanoTime();
                        rtt.recordValue(Math.max(1, (now - state[1]) / 1000));
                        state[0]++;
                        if (now < end) {
                            state[1] = System.nanoTime();
                            pings[0].onNext(Ping.newBuilder().setStroke(state[0]).build());
                        } else {
                            pings[0].onCompleted();
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure.set(t);
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        state[1] = System.nanoTime();
        pings[0].onNext(Ping.newBuilder().setStroke(0).build());
        await(done, "ping-pong");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("ping-pong failed after " + state[0] + " round trips: " + Errors.describe(failure.get()),
                    failure.get());
        }
        return new Run(state[0] / seconds, state[0], rtt.getValueAtPercentile(50), rtt.getValueAtPercentile(99));
    }

    @SuppressWarnings("unchecked")
    private static StreamObserver<Ping>[] newPingArray() {
        return new StreamObserver[1];
    }

    private static void await(CountDownLatch done, String what) {
        try {
            if (!done.await(180, TimeUnit.SECONDS)) {
                throw new IllegalStateException(what + " did not finish within 180 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
