package io.meshplay.cli;

import java.time.Duration;
import java.util.Map;

import io.meshplay.example.service.ExampleService;
import io.meshplay.config.MeshplayConfig;
import io.meshplay.registry.Registries;
import io.meshplay.registry.Registry;
import io.meshplay.server.MeshplayServer;
import io.meshplay.testing.consul.ConsulAgent;
import io.meshplay.testing.consul.ConsulExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * call learning the method from Helidon's gRPC reflection (no fallback): the real server runtime, which
 * routes its services with their file descriptors, found through a real Consul.
 */
@ExtendWith(ConsulExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReflectionCallTest {

    private Registry registry;
    private MeshplayServer server;
    private Cli cli;

    @BeforeAll
    void start(ConsulAgent consul) {
        MeshFixture mesh = new MeshFixture(consul);
        registry = Registries.create(MeshplayConfig.of(mesh.registrySettings()).get("registry"));
        server = MeshplayServer.builder()
                .config(MeshplayConfig.of(Map.of("service.name", "reflective", "service.version", "2.0.0")))
                .registry(registry)
                .addService(new ExampleService())
                .start();
        cli = mesh.cli();
        await().atMost(Duration.ofSeconds(15)).until(() -> cli.run("services", "-o", "json").out().contains("\"passing\": 1"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void unaryCallUsesServerReflection() {
        Cli.Result r = cli.run("call", "reflective", "Example/Call", "{\"name\":\"Refl\"}", "-o", "json", "-v");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines().get(0).get("msg").getAsString()).isEqualTo("Hello Refl");
        assertThat(r.err()).contains("Example.Call (unary) from server reflection (grpc.reflection.v1.ServerReflection)")
                .contains("1 response(s) from " + server.instance().id())
                .doesNotContain("warning");
    }

    @Test
    void streamsUseServerReflection() {
        Cli.Result stream = cli.run("call", "reflective", "Example.Stream", "{\"count\":3}", "-o", "json");
        assertThat(stream.exitCode()).as(stream.toString()).isZero();
        assertThat(stream.lines()).extracting(l -> l.get("count").getAsLong()).containsExactly(0L, 1L, 2L);
        assertThat(stream.err()).isEmpty();

        Cli.Result bidi = cli.runWithStdin("{\"stroke\":7}\n{\"stroke\":8}\n", "call", "reflective", "Example/PingPong", "-o", "json");
        assertThat(bidi.exitCode()).as(bidi.toString()).isZero();
        assertThat(bidi.lines()).extracting(l -> l.get("stroke").getAsLong()).containsExactly(7L, 8L);
    }

    @Test
    void healthServiceIsDescribedByReflectionToo() {
        Cli.Result r = cli.run("call", "reflective", "grpc.health.v1.Health/Check", "{\"service\":\"\"}", "-o", "json", "-v");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines().get(0).get("status").getAsString()).isEqualTo("SERVING");
        assertThat(r.err()).contains("from server reflection");
    }

    @Test
    void unknownServiceAndMethodComeFromReflection() {
        Cli.Result service = cli.run("call", "reflective", "Sample/Call", "{}");
        assertThat(service.exitCode()).as(service.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(service.err()).isEqualTo("meshplay: 'reflective' does not serve 'Sample'; it serves: Example, "
                + "grpc.health.v1.Health, grpc.reflection.v1.ServerReflection, grpc.reflection.v1alpha.ServerReflection"
                + System.lineSeparator());

        Cli.Result method = cli.run("call", "reflective", "Example/Cal", "{}");
        assertThat(method.exitCode()).as(method.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(method.err()).startsWith("meshplay: 'Example' has no method 'Cal'; its methods: Call (unary)");
    }
}
