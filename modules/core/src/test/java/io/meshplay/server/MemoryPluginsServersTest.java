package io.meshplay.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.stub.StreamObserver;
import io.meshplay.broker.Broker;
import io.meshplay.broker.Brokers;
import io.meshplay.broker.Message;
import io.meshplay.broker.SubscribeOptions;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.registry.ServiceInstance;
import io.meshplay.testing.Closer;
import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Servers and a client in one JVM on {@code registry.type: memory} and {@code broker.type: memory}:
 * stopping one server closes the plug-in handles it created, and that must not cut the others off.
 */
class MemoryPluginsServersTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @RegisterExtension
    final Closer closer = new Closer();

    // names of their own, so other tests in this JVM share neither registry nor topics
    private final String space = "servers-" + UUID.randomUUID();
    private final Map<String, List<String>> handled = new HashMap<>();

    private Config config() {
        return MeshplayConfig.of(Map.of("service.name", "labelled",
                "registry.type", "memory", "registry.memory.name", space,
                "broker.type", "memory", "broker.memory.name", space));
    }

    /** A server answering with its label and recording the jobs it handled under it. */
    private MeshplayServer server(String label) {
        List<String> jobs = new CopyOnWriteArrayList<>();
        handled.put(label, jobs);
        return closer.add(MeshplayServer.builder().config(config())
                .addService(new Labelled(label))
                .subscribe("jobs", e -> jobs.add(new String(e.message().body())), SubscribeOptions.defaults().withConcurrency(1))
                .start());
    }

    private static String call(ExampleGrpc.ExampleBlockingStub stub) {
        return stub.withDeadlineAfter(DEADLINE).call(Request.newBuilder().setName("who").build()).getMsg();
    }

    @Test
    void stoppingOneServerLeavesTheClientWatchAndTheOtherServersSubscriptions() {
        MeshplayServer a = server("a");
        MeshplayServer b = server("b");
        MeshplayClient client = closer.add(MeshplayClient.create(config()));
        AtomicReference<List<String>> watched = new AtomicReference<>(List.of());
        closer.add(client.registry().watch("labelled", list -> watched.set(list.stream().map(ServiceInstance::id).toList())));
        ExampleGrpc.ExampleBlockingStub stub = ExampleGrpc.newBlockingStub(client.channel("labelled"));
        await().atMost(DEADLINE).until(() -> call(stub).equals("a"));
        await().atMost(DEADLINE).until(() -> call(stub).equals("b"));

        a.close();
        assertThat(watched.get()).containsExactly(b.instance().id());
        for (int i = 0; i < 20; i++) {
            assertThat(call(stub)).as("call %d after a stopped", i).isEqualTo("b");
        }
        Broker publisher = closer.add(Brokers.create(config().get("broker")));
        publisher.publish("jobs", Message.of("after-a".getBytes()));
        await().atMost(DEADLINE).until(() -> handled.get("b").contains("after-a"));
        assertThat(handled.get("a")).isEmpty();

        // only a watch that is still open sees a server that starts after a stopped
        MeshplayServer c = server("c");
        await().atMost(DEADLINE).until(() -> watched.get().size() == 2);
        assertThat(watched.get()).containsExactlyInAnyOrder(b.instance().id(), c.instance().id());
        await().atMost(DEADLINE).until(() -> call(stub).equals("c"));
        assertThat(call(stub)).isIn("b", "c");
    }

    private static final class Labelled extends ExampleGrpc.ExampleImplBase {
        private final String label;

        Labelled(String label) {
            this.label = label;
        }

        @Override
        public void call(Request request, StreamObserver<Response> reply) {
            reply.onNext(Response.newBuilder().setMsg(label).build());
            reply.onCompleted();
        }
    }
}
