package io.meshplay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client's meters: calls by status and their durations, in the registry /observe/metrics reads. */
class ClientMetricsTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private final String space = "client-metrics-" + UUID.randomUUID();
    private final String service = "metered-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void callsAreCountedAndTimedByMethodAndStatus() {
        // the client first, then a server in the same JVM: meters the client looked up stay the ones exported
        MeshplayClient client = closer.add(MeshplayClient.create(config()));
        closer.add(MeshplayServer.builder().config(config()).addService(new Picky()).start());
        ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(client.channel(service));
        for (int i = 0; i < 3; i++) {
            assertThat(stub.call(Request.newBuilder().setName("ok").build()).getMsg()).isEqualTo("ok");
        }
        assertThatThrownBy(() -> stub.call(Request.newBuilder().setName("").build())).hasMessageContaining("INVALID_ARGUMENT");

        String method = ExampleGrpc.getCallMethod().getFullMethodName();
        assertThat(count(method, "OK")).isEqualTo(3);
        assertThat(count(method, "INVALID_ARGUMENT")).isEqualTo(1);
        Timer ok = Metrics.getTimer("meshplay.client.call.duration", tags(method, "OK")).orElseThrow();
        assertThat(ok.count()).isEqualTo(3);
        assertThat(ok.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    }

    private long count(String method, String status) {
        return Metrics.getCounter("meshplay.client.calls", tags(method, status)).map(Counter::count).orElse(0L);
    }

    private List<Tag> tags(String method, String status) {
        return List.of(Tag.create("service", service), Tag.create("method", method), Tag.create("status", status));
    }

    private Config config() {
        Map<String, String> all = new HashMap<>(Map.of("service.name", service,
                "registry.type", "memory", "registry.memory.name", space, "broker.type", "memory", "broker.memory.name", space));
        return MeshplayConfig.of(all);
    }

    private static final class Picky extends ExampleGrpc.ExampleImplBase {
        @Override
        public void call(Request request, StreamObserver<Response> reply) {
            if (request.getName().isEmpty()) {
                reply.onError(Status.INVALID_ARGUMENT.withDescription("name is empty").asRuntimeException());
                return;
            }
            reply.onNext(Response.newBuilder().setMsg(request.getName()).build());
            reply.onCompleted();
        }
    }
}
