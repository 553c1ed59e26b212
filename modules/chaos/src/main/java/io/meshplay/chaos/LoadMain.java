package io.meshplay.chaos;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.helidon.config.Config;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.StreamingRequest;
import io.meshplay.example.proto.StreamingResponse;

/**
 * The lab's load, on the load host through its own Consul agent: 16 callers of unary {@code Call}, one long
 * {@code Stream} read at ~200 responses/s, and a publisher at {@code rate} msg/s journaling {@code P <id>
 * <epoch-ms>} once a publish returned. Cumulative counters go to {@code stats} every 100 ms. Runs at most
 * 30 minutes (or until SIGTERM): every loop is bounded.
 *
 * <p>Usage: {@code LoadMain <consul-http> <queue-endpoint> <lab-dir> <rate>}
 */
public final class LoadMain {

    private static final Duration MAX_RUN = Duration.ofMinutes(30);
    private static final AtomicLong OK = new AtomicLong();
    private static final AtomicLong FAILED = new AtomicLong();
    private static final AtomicLong STREAMED = new AtomicLong();
    private static final AtomicLong STREAM_BREAKS = new AtomicLong();
    private static final AtomicLong PUBLISHED = new AtomicLong();
    private static final AtomicLong PUBLISH_FAILED = new AtomicLong();

    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[2]);
        int rate = Integer.parseInt(args[3]);
        Config config = MeshplayConfig.of(Map.of("registry.type", "consul", "registry.consul.address", args[0],
                "broker.type", "azqueue", "broker.azqueue.endpoint", args[1],
                // Call is idempotent: a hedge goes elsewhere when an instance is silent (the partition finding)
                "client.hedging.delay", "500ms"));
        long end = System.nanoTime() + MAX_RUN.toNanos();
        AtomicBoolean running = new AtomicBoolean(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false)));
        MeshplayClient client = MeshplayClient.create(config);
        ManagedChannel channel = client.channel("example");
        Journal failures = new Journal(dir.resolve("failures.log"));
        for (int i = 0; i < 16; i++) {
            Thread.ofVirtual().start(() -> {
                ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(channel);
                while (running.get() && System.nanoTime() < end) {
                    try {
                        stub.withDeadlineAfter(3, TimeUnit.SECONDS).call(Request.newBuilder().setName("chaos").build());
                        OK.incrementAndGet();
                    } catch (RuntimeException e) {
                        FAILED.incrementAndGet();
                        failures.line(System.currentTimeMillis() + " " + Status.fromThrowable(e));
                    }
                }
            });
        }
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        stream(channel, timer, running);
        Broker broker = Brokers.create(config.get("broker"));
        Journal published = new Journal(dir.resolve("published.log"));
        AtomicLong seq = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        // each publish on its own virtual thread: one slow publish (Azurite under load) must not lower the rate
        timer.scheduleAtFixedRate(() -> {
            if (!running.get() || System.nanoTime() > end || inFlight.get() >= 200) {
                return;
            }
            String id = "m" + seq.incrementAndGet();
            inFlight.incrementAndGet();
            Thread.ofVirtual().start(() -> publish(broker, published, id, inFlight));
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        Path stats = dir.resolve("stats");
        Path tmp = dir.resolve("stats.tmp");
        while (running.get() && System.nanoTime() < end) {
            Files.writeString(tmp, OK.get() + " " + FAILED.get() + " " + STREAMED.get() + " " + STREAM_BREAKS.get()
                    + " " + PUBLISHED.get() + " " + PUBLISH_FAILED.get() + "\n");
            Files.move(tmp, stats, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(100); // the counters' publication period
        }
        timer.shutdownNow();
        broker.close();
        client.close();
    }

    private static void publish(Broker broker, Journal published, String id, AtomicLong inFlight) {
        try {
            broker.publish(SubscriberMain.TOPIC, new Message(Map.of(Message.MESSAGE_ID, id),
                    id.getBytes(StandardCharsets.UTF_8)));
            published.line("P " + id + " " + System.currentTimeMillis());
            PUBLISHED.incrementAndGet();
        } catch (RuntimeException e) {
            // a publish that failed is not a message the lab expects to see delivered
            PUBLISH_FAILED.incrementAndGet();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** One long stream, read with flow control at ~200 responses/s; opened again when it breaks. */
    private static void stream(ManagedChannel channel, ScheduledExecutorService timer, AtomicBoolean running) {
        if (!running.get()) {
            return;
        }
        ExampleGrpc.newStub(channel).stream(StreamingRequest.newBuilder().setCount(Long.MAX_VALUE / 2).build(),
                new ClientResponseObserver<StreamingRequest, StreamingResponse>() {
                    private ClientCallStreamObserver<StreamingRequest> call;

                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamingRequest> requestStream) {
                        call = requestStream;
                        call.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(StreamingResponse value) {
                        STREAMED.incrementAndGet();
                        timer.schedule(() -> call.request(1), 5, TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void onError(Throwable t) {
                        STREAM_BREAKS.incrementAndGet();
                        timer.schedule(() -> stream(channel, timer, running), 200, TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void onCompleted() {
                        stream(channel, timer, running);
                    }
                });
    }
}
