package io.meshplay.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos lab's partition finding: an instance that goes silent (its packets dropped, nothing refused) holds
 * every call sent to it until the call's deadline, because retries only follow UNAVAILABLE. With
 * {@code client.hedging.delay} a second attempt goes to another instance and the call succeeds. A server that
 * never answers stands in for the partitioned one.
 */
class HedgingTest {

    private static final Duration DEADLINE = Duration.ofSeconds(1);

    @RegisterExtension
    final Closer closer = new Closer();

    private final String space = "hedging-" + UUID.randomUUID();

    private Config config(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(Map.of("service.name", "silent-or-not",
                "registry.type", "memory", "registry.memory.name", space, "broker.type", "memory", "broker.memory.name", space));
        all.putAll(extra);
        return MeshplayConfig.of(all);
    }

    private int failures(Map<String, String> clientConfig) {
        closer.add(MeshplayServer.builder().config(config(Map.of())).addService(new Answering(false)).start());
        closer.add(MeshplayServer.builder().config(config(Map.of())).addService(new Answering(true)).start());
        MeshplayClient client = closer.add(MeshplayClient.create(config(clientConfig)));
        ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(client.channel("silent-or-not"));
        int failed = 0;
        for (int i = 0; i < 10; i++) {
            try {
                stub.withDeadlineAfter(DEADLINE).call(Request.newBuilder().setName("x").build());
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                failed++;
            }
        }
        return failed;
    }

    @Test
    void withoutHedgingCallsToASilentInstanceWaitOutTheirDeadline() {
        assertThat(failures(Map.of())).isPositive();
    }

    @Test
    void aHedgedCallIsAnsweredByTheOtherInstance() {
        assertThat(failures(Map.of("client.hedging.delay", "100ms"))).isZero();
    }

    /**
     * The lab's remainder after hedging: with 16 callers sharing round robin's next pick, a call's hedged
     * attempts could all land on the silent instance. Each attempt now goes to an instance the call has not
     * tried, so the silent one sees every call at most once and none waits out its deadline.
     */
    @Test
    void concurrentHedgedCallsNeverSendTwoAttemptsToTheSameInstance() throws Exception {
        Metadata.Key<String> callId = Metadata.Key.of("x-test-call", Metadata.ASCII_STRING_MARSHALLER);
        Map<String, AtomicInteger> silentSaw = new ConcurrentHashMap<>();
        ServerInterceptor count = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                silentSaw.computeIfAbsent(headers.get(callId), k -> new AtomicInteger()).incrementAndGet();
                return next.startCall(call, headers);
            }
        };
        // three instances for three attempts (retry.max-attempts): each attempt has an untried instance to go to
        closer.add(MeshplayServer.builder().config(config(Map.of())).addService(new Answering(true)).start());
        closer.add(MeshplayServer.builder().config(config(Map.of())).addService(new Answering(true)).start());
        closer.add(MeshplayServer.builder().config(config(Map.of()))
                .addService(() -> ServerInterceptors.intercept(new Answering(false), count)).start());
        MeshplayClient client = closer.add(MeshplayClient.create(config(Map.of("client.hedging.delay", "50ms"))));
        io.grpc.ManagedChannel channel = client.channel("silent-or-not");
        ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(channel);
        // connected first, so a slow start on a loaded machine is not what the deadlines below measure
        await().atMost(Duration.ofSeconds(30)).until(() -> channel.getState(true) == io.grpc.ConnectivityState.READY);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int caller = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        Metadata id = new Metadata();
                        id.put(callId, caller + "-" + i);
                        try {
                            stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(id))
                                    .withDeadlineAfter(Duration.ofSeconds(5)).call(Request.newBuilder().setName("x").build());
                        } catch (StatusRuntimeException e) {
                            failed.add(caller + "-" + i + " " + e.getStatus());
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(failed).isEmpty();
        assertThat(silentSaw).as("calls the silent instance saw").isNotEmpty();
        assertThat(silentSaw.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).toList()).as("calls the silent instance saw twice").isEmpty();
        assertThat(silentSaw.values()).as("attempts per call at the silent instance").allSatisfy(n -> assertThat(n).hasValue(1));
    }

    private static final class Answering extends ExampleGrpc.ExampleImplBase {
        private final boolean answers;

        Answering(boolean answers) {
            this.answers = answers;
        }

        @Override
        public void call(Request request, StreamObserver<Response> reply) {
            if (answers) { // the silent one keeps the call open until the client gives up
                reply.onNext(Response.newBuilder().setMsg("answered").build());
                reply.onCompleted();
            }
        }
    }
}
