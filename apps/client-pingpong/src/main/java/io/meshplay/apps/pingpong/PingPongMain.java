package io.meshplay.apps.pingpong;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.meshplay.client.MeshplayClient;
import io.meshplay.client.ServedBy;
import io.meshplay.config.AppArgs;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.config.Option;
import io.meshplay.config.Options;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Ping;
import io.meshplay.example.proto.Pong;

/** Resolves the example service by name and plays ping-pong over one bidi stream. */
public final class PingPongMain {

    private static final Option<String> SERVICE = Option.string("client.service", "service to resolve").defaultValue("example");

    private PingPongMain() {
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        AppArgs cli = AppArgs.parse("client-pingpong", "sends pings to the example service and prints the pongs",
                Map.of("count", "pings to send (default 10)"), Options.of(SERVICE).and(MeshplayClient.OPTIONS), args);
        Config config = MeshplayConfig.load("client-pingpong", cli.overrides());
        try (MeshplayClient client = MeshplayClient.create(config)) {
            List<Long> pongs = play(client, SERVICE.get(config),
                    (int) cli.longFlag("count", 10), true);
            System.exit(pongs.size() == cli.longFlag("count", 10) ? 0 : 1);
        }
    }

    /** Sends {@code count} pings on one stream; returns the strokes of the pongs in order. */
    public static List<Long> play(MeshplayClient client, String service, int count, boolean print) throws InterruptedException {
        ServedBy servedBy = new ServedBy();
        List<Long> strokes = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] error = new Throwable[1];
        StreamObserver<Ping> pings = ExampleGrpc.newStub(client.channel(service))
                .withInterceptors(servedBy.interceptor())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .pingPong(new StreamObserver<>() {
                    @Override
                    public void onNext(Pong pong) {
                        synchronized (strokes) {
                            strokes.add(pong.getStroke());
                        }
                        if (print) {
                            System.out.println("pong " + pong.getStroke() + " from " + servedBy.instance());
                        }
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
