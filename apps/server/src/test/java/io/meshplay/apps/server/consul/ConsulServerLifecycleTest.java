package io.meshplay.apps.server.consul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.helidon.config.Config;
import io.meshplay.example.service.ExampleService;
import io.meshplay.apps.server.ServerMain;
import io.meshplay.client.MeshplayClient;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.example.proto.ExampleGrpc;
import io.meshplay.example.proto.Request;
import io.meshplay.example.proto.Response;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.Closer;
import io.meshplay.testing.Ports;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.meshplay.apps.server.consul.ConsulMesh.SERVICE;
import static io.meshplay.apps.server.consul.ConsulMesh.call;
import static io.meshplay.apps.server.consul.ConsulMesh.health;
import static io.meshplay.apps.server.consul.ConsulMesh.millis;
import static io.meshplay.apps.server.consul.ConsulMesh.passingIds;
import static io.meshplay.apps.server.consul.ConsulMesh.readiness;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The server runtime's life in a real Consul: registered with a passing gRPC check, tags and meta; out of
 * Consul before it stops accepting; serving while Consul is down and registering once it is up; and what
 * a client gets for a service nobody serves.
 */
@ExtendWith(ConsulExtension.class)
class ConsulServerLifecycleTest {

    @RegisterExtension
    final Closer closer = new Closer();

    private <T extends AutoCloseable> T closeLater(T c) {
        return closer.add(c);
    }

    @Test
    void registersWithPassingCheckAndLeavesConsulBeforeItStopsAccepting(ConsulAgent consul) throws Exception {
        Config config = MeshplayConfig.of(ConsulMesh.config(consul));
        Gate gate = new Gate("slow");
        MeshplayServer server = closeLater(MeshplayServer.builder().config(config)
                .addService(gate.wrap(new ExampleService())).start());
        String id = server.instance().id();
        int port = server.port();
        // Consul is up, so the first attempt inside start() registered it
        assertThat(server.registered()).isTrue();
        assertThat(id).isEqualTo("example-127.0.0.1-" + port);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> health(consul, SERVICE).get(id), e -> e != null && e.passing());
        ConsulMesh.Entry entry = health(consul, SERVICE).get(id);
        assertThat(entry.port()).isEqualTo(port);
        assertThat(entry.tags()).contains("grpc", "metrics", "v1.0.0");
        assertThat(entry.meta())
                .containsEntry("version", "1.0.0")
                .containsEntry("protocol", "grpc")
                .containsEntry("metrics_path", "/observe/metrics")
                .containsEntry("metrics_port", Integer.toString(server.observePort()))
                .containsEntry("grpc_transport", "netty")
                .containsKey("grpc_methods");
        assertThat(entry.meta().get("grpc_methods").split(","))
                .contains("Example/Call", "Example/Stream", "Example/PingPong", "grpc.health.v1.Health/Check");
        // the check Consul runs is the gRPC health check against the port the server bound
        assertThat(entry.checks()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo("passing");
            assertThat(c.output()).containsIgnoringCase("grpc").contains("127.0.0.1:" + port);
        });
        ConsulMesh.Readiness ready = readiness(server.observePort());
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"registry\":\"registered\"").contains("\"type\":\"consul\"");

        MeshplayClient client = closeLater(MeshplayClient.create(config));
        assertThat(call(client.channel(SERVICE), "before")).isEqualTo(id);

        // a call through the name-resolved channel, held inside the server while it shuts down
        ListenableFuture<Response> slow = ExampleGrpc.newFutureStub(client.channel(SERVICE))
                .withDeadlineAfter(30, TimeUnit.SECONDS).call(Request.newBuilder().setName("slow").build());
        assertThat(gate.awaitEntered(5, TimeUnit.SECONDS)).as("held call reached the server").isTrue();
        long closeStarted = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !health(consul, SERVICE).containsKey(id) && !consul.get("/v1/agent/services").contains(id));
        long goneAfter = System.nanoTime() - closeStarted;
        // the order: out of Consul while the server is still serving
        assertThat(closing).as("close() still waiting for the call in flight").isNotDone();
        assertThat(slow.isDone()).as("held call still in flight").isFalse();
        assertThat(server.callsInFlight()).isEqualTo(1);
        ManagedChannel direct = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertThat(call(direct, "after-deregister")).as("still accepting new calls").isEqualTo(id);
        } finally {
            direct.shutdownNow();
        }

        gate.release();
        assertThat(slow.get(5, TimeUnit.SECONDS).getMsg()).isEqualTo("Hello slow");
        closing.get(15, TimeUnit.SECONDS);
        long stoppedAfter = System.nanoTime() - closeStarted;
        assertThat(Ports.listening(port)).as("stopped accepting after close()").isFalse();
        assertThat(server.registered()).isFalse();
        System.out.printf("graceful close: gone from Consul after %.1f ms, held call completed, stopped after %.1f ms%n",
                millis(goneAfter), millis(stoppedAfter));
    }

    @Test
    void servesWhileConsulIsDownAndRegistersOnceItComesUp() {
        // ConsulAgent picks its ports when created and keeps them across restart(): start one, stop it, and
        // the server is pointed at an address where nothing listens until the same agent comes back
        ConsulAgent later = closeLater(ConsulAgent.start());
        later.stopProcess();
        assertThat(Ports.listening(later.httpPort())).isFalse();

        MeshplayServer server = closeLater(ServerMain.start(MeshplayConfig.of(ConsulMesh.config(later.httpAddress(), Map.of()))));
        String id = server.instance().id();
        assertThat(server.registered()).isFalse();
        ManagedChannel direct = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            assertThat(call(direct, "no-consul")).as("serves gRPC without Consul").isEqualTo(id);
        } finally {
            direct.shutdownNow();
        }
        ConsulMesh.Readiness down = readiness(server.observePort());
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.body()).contains("\"registry\":\"not registered\"")
                .contains("unreachable").contains(later.httpAddress());

        long restart = System.nanoTime();
        later.restart();
        long agentUp = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(server::registered);
        long registered = System.nanoTime();
        ConsulMesh.Readiness up = readiness(server.observePort());
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.body()).contains("\"registry\":\"registered\"");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> passingIds(later, SERVICE), ids -> ids.contains(id));
        System.out.printf("consul down at start: agent up %.1f ms after restart(), registered %.1f ms after the agent was up%n",
                millis(agentUp - restart), millis(registered - agentUp));
    }

    @Test
    void unknownServiceFailsFastWithUnavailableNamingIt(ConsulAgent consul) {
        MeshplayClient client = closeLater(MeshplayClient.create(MeshplayConfig.of(ConsulMesh.config(consul))));
        long start = System.nanoTime();
        assertThatThrownBy(() -> ExampleGrpc.newBlockingStub(client.channel("no-such-service"))
                .withDeadlineAfter(10, TimeUnit.SECONDS).call(Request.newBuilder().setName("x").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).contains("'no-such-service'");
                });
        long elapsed = System.nanoTime() - start;
        assertThat(Duration.ofNanos(elapsed)).as("fails, not waits for the deadline").isLessThan(Duration.ofSeconds(5));
        System.out.printf("unknown service: UNAVAILABLE after %.1f ms%n", millis(elapsed));
    }
}
