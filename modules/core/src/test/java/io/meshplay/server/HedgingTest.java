package io.meshplay.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
